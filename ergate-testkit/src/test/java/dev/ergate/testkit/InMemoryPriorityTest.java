package dev.ergate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.spi.Delivery;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("InMemoryJobQueue priorities and aging, on a manual clock")
class InMemoryPriorityTest {

    private final ManualClock clock = ManualClock.create();
    private InMemoryJobQueue queue = InMemoryJobQueue.builder().clock(clock).build();

    @AfterEach
    void close() {
        queue.close();
    }

    private static Job job(String id, int priority) {
        return Job.builder().id(id).workflowName("w").priority(priority).build();
    }

    private JobId takeAndAck() throws InterruptedException {
        Optional<Delivery> delivery = queue.take(Duration.ZERO);
        assertThat(delivery).as("a visible job").isPresent();
        delivery.get().ack();
        return delivery.get().job().id();
    }

    /**
     * One job per second is taken while a producer puts a priority-3 job every second, after a
     * priority-0 job went in first: returns how many takes it took to reach the low one, or -1.
     */
    private int takesUntilLowRuns(int seconds) throws InterruptedException {
        queue.put(job("low", 0));
        for (int second = 0; second < seconds; second++) {
            queue.put(job("high-" + second, 3));
            queue.put(job("high-" + second + "b", 3));  // the stream outpaces the taker
            if (takeAndAck().equals(JobId.of("low"))) {
                return second + 1;
            }
            clock.advance(Duration.ofSeconds(1));
        }
        return -1;
    }

    @Test
    @DisplayName("strict priorities (the default) let a stream of higher jobs starve a lower one")
    void strictStarves() throws InterruptedException {
        assertThat(takesUntilLowRuns(60)).as("takes until the low job ran (-1: never)").isEqualTo(-1);
    }

    @Test
    @DisplayName("with aging, a lower job runs within aging x priority difference, under a stream of higher ones")
    void agingBoundsTheWait() throws InterruptedException {
        queue.close();
        queue = InMemoryJobQueue.builder().clock(clock).priorityAging(Duration.ofSeconds(1)).build();

        int takes = takesUntilLowRuns(60);

        // the low job counts as put at t0, each high one 3 s before it was: only the 6 put in the
        // first 3 s (2 a second) go before it, however long the stream goes on
        assertThat(takes).as("takes until the low job ran").isEqualTo(7);
    }

    @Test
    @DisplayName("with aging, a higher job still goes before a lower one put less than aging x difference earlier")
    void agingKeepsOrderNearby() throws InterruptedException {
        queue.close();
        queue = InMemoryJobQueue.builder().clock(clock).priorityAging(Duration.ofSeconds(1)).build();
        queue.put(job("old-low", 0));
        clock.advance(Duration.ofSeconds(10));
        queue.put(job("high-5", 5));     // counts as put 5 s ago: after old-low
        queue.put(job("high-20", 20));   // counts as put 20 s ago: before old-low

        assertThat(takeAndAck()).isEqualTo(JobId.of("high-20"));
        assertThat(takeAndAck()).isEqualTo(JobId.of("old-low"));
        assertThat(takeAndAck()).isEqualTo(JobId.of("high-5"));
    }

    @Test
    @DisplayName("a job whose lease ran out competes again by its priority")
    void expiredLeaseKeepsPriority() throws InterruptedException {
        queue.close();
        queue = InMemoryJobQueue.builder().clock(clock).leaseTime(Duration.ofSeconds(5)).build();
        queue.put(job("high", 4));
        assertThat(queue.take(Duration.ZERO)).isPresent();   // leased, never acked
        queue.put(job("low", 1));
        clock.advance(Duration.ofSeconds(6));

        assertThat(takeAndAck()).isEqualTo(JobId.of("high"));
        assertThat(takeAndAck()).isEqualTo(JobId.of("low"));
    }

    @Test
    @DisplayName("refuses an aging under a millisecond, and a priority out of range")
    void badSettings() {
        assertThatThrownBy(() -> InMemoryJobQueue.builder().priorityAging(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("priorityAging");
        assertThatThrownBy(() -> Job.builder().priority(Job.MAX_PRIORITY + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("priority must be within");
    }
}
