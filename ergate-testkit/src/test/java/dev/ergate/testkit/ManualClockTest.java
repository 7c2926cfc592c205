package dev.ergate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ManualClock")
class ManualClockTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    @DisplayName("stands still until moved, then moves exactly as far as told")
    void advance() {
        ManualClock clock = ManualClock.startingAt(START);

        assertThat(clock.instant()).isEqualTo(START);
        assertThat(clock.advance(Duration.ofMinutes(90))).isEqualTo(START.plusSeconds(5400));
        assertThat(clock.instant()).isEqualTo(START.plusSeconds(5400));
        assertThat(clock.millis()).isEqualTo(START.plusSeconds(5400).toEpochMilli());
    }

    @Test
    @DisplayName("refuses to go backwards")
    void neverBackwards() {
        ManualClock clock = ManualClock.startingAt(START);

        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
        assertThatThrownBy(() -> clock.set(START.minusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(START.toString());
        assertThat(clock.instant()).isEqualTo(START);
    }

    @Test
    @DisplayName("tells listeners after every move until they unsubscribe")
    void listeners() {
        ManualClock clock = ManualClock.create();
        AtomicInteger calls = new AtomicInteger();
        Runnable unsubscribe = clock.onChange(calls::incrementAndGet);

        clock.advance(Duration.ofSeconds(1));
        clock.set(clock.instant().plusSeconds(5));
        unsubscribe.run();
        clock.advance(Duration.ofSeconds(1));

        assertThat(calls).hasValue(2);
    }

    @Test
    @DisplayName("in another zone shares the same time")
    void zone() {
        ManualClock clock = ManualClock.startingAt(START);
        var paris = clock.withZone(ZoneId.of("Europe/Paris"));

        clock.advance(Duration.ofHours(1));

        assertThat(paris.instant()).isEqualTo(START.plusSeconds(3600));
        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    }
}
