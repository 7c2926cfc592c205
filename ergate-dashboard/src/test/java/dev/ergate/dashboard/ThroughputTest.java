package dev.ergate.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The overview's chart: jobs that became final between reads, per slot, over the window. */
class ThroughputTest {

    private final ManualClock clock = ManualClock.startingAt(Instant.parse("2026-01-01T00:00:00Z"));
    private final Throughput throughput = new Throughput(clock, Duration.ofMinutes(1)); // 1 s slots

    @Test
    void countsWhatBecameFinalBetweenReadsInTheSlotOfTheLaterRead() {
        assertThat(throughput.slots()).isEmpty();
        throughput.sample(100);
        clock.advance(Duration.ofMillis(1_000));
        throughput.sample(130);
        clock.advance(Duration.ofMillis(2_000));
        throughput.sample(135);
        List<Throughput.Slot> slots = throughput.slots();
        assertThat(slots).extracting(Throughput.Slot::finished).containsExactly(0L, 30L, 0L, 5L);
        assertThat(slots.get(0).start()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void aCountThatGoesDownAddsNothingAndReadsTooCloseTogetherAreOne() {
        throughput.sample(50);
        clock.advance(Duration.ofMillis(100));
        throughput.sample(70); // ignored: too soon after the last read
        clock.advance(Duration.ofMillis(1_000));
        throughput.sample(20); // a purge: nothing finished
        clock.advance(Duration.ofMillis(1_000));
        throughput.sample(26);
        assertThat(throughput.slots()).extracting(Throughput.Slot::finished).containsExactly(0L, 0L, 6L);
    }

    @Test
    void readsBeforeTheWindowLeaveAndWhatFinishedUnwatchedIsNotPiledIntoOneBar() {
        throughput.sample(0);
        clock.advance(Duration.ofMinutes(5));
        throughput.sample(10);
        clock.advance(Duration.ofSeconds(1));
        throughput.sample(12);
        List<Throughput.Slot> slots = throughput.slots();
        assertThat(slots).hasSizeLessThanOrEqualTo(60);
        assertThat(slots.stream().mapToLong(Throughput.Slot::finished).sum()).isEqualTo(2);
    }
}
