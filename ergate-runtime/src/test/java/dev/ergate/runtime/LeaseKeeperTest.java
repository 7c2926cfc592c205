package dev.ergate.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ergate.Job;
import dev.ergate.spi.Delivery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LeaseKeeperTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final LeaseKeeper keeper = new LeaseKeeper(2, "test-lease-keeper", new ErgateListener() { }, true);

    @AfterEach
    void close() {
        keeper.close();
    }

    @Test
    @DisplayName("a long step's lease is extended by its length at half of it, again and again, each time before it runs out")
    void extendsALongStepBeforeItsLeaseRunsOut() {
        keeper.start();
        RecordingDelivery delivery = new RecordingDelivery();
        long started = System.nanoTime();

        keeper.slot(0).keep(delivery, SECOND);
        await().atMost(DEADLINE).until(() -> delivery.extensions.size() >= 3);
        keeper.slot(0).stop();

        List<Long> at = delivery.extensionNanos;
        assertThat(at.get(0) - started).as("first extension, ns after the start")
                .isGreaterThanOrEqualTo(SECOND / 2).isLessThan(SECOND);
        assertThat(at.get(1) - at.get(0)).as("time between extensions, ns").isLessThan(SECOND);
        assertThat(delivery.extensions).allMatch(Duration.ofSeconds(1)::equals);
    }

    @Test
    @DisplayName("a step started while the keeper sleeps with nothing to do wakes it, so its first extension is not late")
    void aStepStartedWhileTheKeeperIdlesIsExtendedInTime() {
        keeper.start();
        await().atMost(DEADLINE).until(() -> keeper.scans() >= 1); // now asleep, for up to 10 s
        RecordingDelivery delivery = new RecordingDelivery();
        long started = System.nanoTime();

        keeper.slot(1).keep(delivery, SECOND);
        await().atMost(DEADLINE).until(() -> !delivery.extensions.isEmpty());

        assertThat(delivery.extensionNanos.get(0) - started).as("first extension, ns after the start").isLessThan(SECOND);
    }

    @Test
    @DisplayName("steps that end before half their lease cost no extension and don't wake the keeper")
    void shortStepsCostNothing() {
        keeper.start();
        await().atMost(DEADLINE).until(() -> keeper.scans() >= 1);
        long scansBefore = keeper.scans();
        RecordingDelivery delivery = new RecordingDelivery();

        for (int i = 0; i < 100_000; i++) {
            keeper.slot(i % 2).keep(delivery, 30 * SECOND);
            keeper.slot(i % 2).stop();
        }

        assertThat(delivery.extensions).isEmpty();
        assertThat(keeper.scans() - scansBefore).as("keeper wake-ups during 100,000 short steps").isLessThanOrEqualTo(1);
    }

    @Test
    @DisplayName("a stopped lease is no longer extended; the other slot's still is")
    void stopsExtendingWhenTheStepEnds() {
        keeper.start();
        RecordingDelivery stopped = new RecordingDelivery();
        RecordingDelivery running = new RecordingDelivery();

        keeper.slot(0).keep(stopped, LeaseKeeper.MIN_LEASE.toNanos());
        keeper.slot(1).keep(running, LeaseKeeper.MIN_LEASE.toNanos());
        await().atMost(DEADLINE).until(() -> stopped.extensions.size() >= 1);
        keeper.slot(0).stop();
        int stoppedAt = stopped.extensions.size();
        int runningAt = running.extensions.size();
        await().atMost(DEADLINE).until(() -> running.extensions.size() >= runningAt + 3);

        assertThat(stopped.extensions.size()).as("extensions after stop (one may have been under way)")
                .isLessThanOrEqualTo(stoppedAt + 1);
    }

    @Test
    @DisplayName("a lease shorter than the minimum is kept as the minimum")
    void shortLeasesAreKeptAsTheMinimum() {
        keeper.start();
        RecordingDelivery delivery = new RecordingDelivery();

        keeper.slot(0).keep(delivery, 0);
        await().atMost(DEADLINE).until(() -> !delivery.extensions.isEmpty());

        assertThat(delivery.extensions.get(0)).isEqualTo(LeaseKeeper.MIN_LEASE);
    }

    @Test
    @DisplayName("a hung extension of one lease does not starve another's, and is abandoned after its timeout")
    void aHungExtensionDoesNotStarveTheOthers() {
        keeper.start();
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger hungCalls = new java.util.concurrent.atomic.AtomicInteger();
        RecordingDelivery hung = new RecordingDelivery() {
            @Override
            public void extend(Duration duration) {
                hungCalls.incrementAndGet();
                try {
                    never.await(); // a dead connection: no answer, no error
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        RecordingDelivery healthy = new RecordingDelivery();

        keeper.slot(0).keep(hung, LeaseKeeper.MIN_LEASE.toNanos() * 2);
        await().atMost(DEADLINE).until(() -> hungCalls.get() >= 1);
        keeper.slot(1).keep(healthy, LeaseKeeper.MIN_LEASE.toNanos() * 2);

        await().atMost(DEADLINE).until(() -> healthy.extensions.size() >= 4);
        await().atMost(DEADLINE).until(() -> hungCalls.get() >= 2); // timed out, abandoned, tried again
        assertThat(healthy.extensions).allMatch(LeaseKeeper.MIN_LEASE.multipliedBy(2)::equals);
        keeper.slot(0).stop();
        keeper.slot(1).stop();
    }

    /** Records each extension and when it came. Thread-safe. */
    private static class RecordingDelivery implements Delivery {
        final List<Duration> extensions = new CopyOnWriteArrayList<>();
        final List<Long> extensionNanos = new CopyOnWriteArrayList<>();

        @Override
        public Job job() {
            return Job.of("w");
        }

        @Override
        public int deliveryCount() {
            return 1;
        }

        @Override
        public Instant leaseExpiresAt() {
            return Instant.now();
        }

        @Override
        public void ack() {
        }

        @Override
        public void release(Duration delay) {
        }

        @Override
        public void extend(Duration duration) {
            extensionNanos.add(System.nanoTime());
            extensions.add(duration);
        }

        @Override
        public void deadLetter(String reason) {
        }
    }
}
