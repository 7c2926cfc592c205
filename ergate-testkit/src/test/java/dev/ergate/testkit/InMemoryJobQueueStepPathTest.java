package dev.ergate.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.Job;
import dev.ergate.spi.Delivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The queue's step path (put visible now, take, ack) shares no lock between threads, and the
 * leases it hands out without one still run out on time.
 */
@DisplayName("InMemoryJobQueue's step path")
class InMemoryJobQueueStepPathTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final long DEADLINE_SECONDS = 30;

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void close() {
        threads.shutdownNow();
    }

    private static Job job(String id) {
        return Job.builder().id(id).workflowName("w").build();
    }

    private static Delivery takeNow(InMemoryJobQueue queue) throws InterruptedException {
        return queue.take(Duration.ZERO).orElseThrow(() -> new AssertionError("nothing to take"));
    }

    /**
     * A clock that parks one chosen thread inside {@code instant()} until let go: a thread
     * preempted in the middle of a queue call, made to last.
     */
    private static final class StallingClock extends Clock {
        private final Clock time = Clock.systemUTC();
        private volatile Thread stalled;
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch letGo = new CountDownLatch(1);

        void stall(Thread thread) {
            stalled = thread;
        }

        @Override
        public Instant instant() {
            if (Thread.currentThread() == stalled) {
                entered.countDown();
                try {
                    letGo.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return time.instant();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    @DisplayName("takes, puts and acks while another thread is stalled inside put")
    void stalledPutHoldsNobodyUp() throws Exception {
        StallingClock clock = new StallingClock();
        try (InMemoryJobQueue queue = InMemoryJobQueue.builder().clock(clock).leaseTime(LEASE).build()) {
            queue.put(job("a"));
            queue.put(job("b"));
            Future<?> stalledPut = threads.submit(() -> {
                clock.stall(Thread.currentThread());
                queue.put(job("stalled"));
            });
            assertThat(clock.entered.await(DEADLINE_SECONDS, TimeUnit.SECONDS)).as("the put reached the clock").isTrue();

            Future<List<String>> steps = threads.submit(() -> stepTwice(queue));
            try {
                assertThat(steps.get(DEADLINE_SECONDS, TimeUnit.SECONDS)).containsExactly("a", "b");
            } finally {
                clock.letGo.countDown();
            }
            stalledPut.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
            assertThat(queue.jobs()).extracting(j -> j.id().value())
                    .containsExactlyInAnyOrder("a-next", "b-next", "stalled");
        }
    }

    @Test
    @DisplayName("takes, puts and acks while another thread is stalled inside take")
    void stalledTakeHoldsNobodyUp() throws Exception {
        StallingClock clock = new StallingClock();
        try (InMemoryJobQueue queue = InMemoryJobQueue.builder().clock(clock).leaseTime(LEASE).build()) {
            queue.put(job("a"));
            queue.put(job("b"));
            takeNow(queue).release(Duration.ZERO); // past the first take's set-up
            Future<Optional<Delivery>> stalledTake = threads.submit(() -> {
                clock.stall(Thread.currentThread());
                return queue.take(Duration.ofSeconds(DEADLINE_SECONDS));
            });
            assertThat(clock.entered.await(DEADLINE_SECONDS, TimeUnit.SECONDS)).as("the take reached the clock").isTrue();

            Future<List<String>> steps = threads.submit(() -> stepTwice(queue));
            try {
                assertThat(steps.get(DEADLINE_SECONDS, TimeUnit.SECONDS)).hasSize(2);
            } finally {
                clock.letGo.countDown();
            }
            assertThat(stalledTake.get(DEADLINE_SECONDS, TimeUnit.SECONDS)).isPresent();
        }
    }

    /** Two steps as a worker runs them: take, put the next step, ack. */
    private static List<String> stepTwice(InMemoryJobQueue queue) throws InterruptedException {
        List<String> taken = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Delivery delivery = takeNow(queue);
            String id = delivery.job().id().value();
            taken.add(id);
            queue.put(job(id + "-next"));
            delivery.ack();
        }
        return taken;
    }

    @Test
    @DisplayName("delivers again every lease that ran out, not the acked, released-and-taken or extended ones")
    void manyLeasesRunOut() throws Exception {
        ManualClock clock = ManualClock.create();
        try (InMemoryJobQueue queue = InMemoryJobQueue.builder().clock(clock).leaseTime(LEASE).build()) {
            for (int i = 0; i < 100; i++) {
                queue.put(job("j" + i));
            }
            List<Delivery> held = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                held.add(takeNow(queue));
                clock.advance(Duration.ofMillis(10));
            }
            for (int i = 0; i < 100; i += 4) {
                held.get(i).ack();
            }
            for (int i = 1; i < 100; i += 4) {
                held.get(i).extend(LEASE.multipliedBy(10));
            }
            clock.advance(LEASE.minus(Duration.ofSeconds(1)));
            assertThat(queue.take(Duration.ZERO)).as("before the first lease ran out").isEmpty();

            clock.advance(Duration.ofSeconds(1)); // every lease not acked or extended has ended
            Set<String> again = new HashSet<>();
            for (int step = 0; step < 100; step++) {
                Optional<Delivery> delivery = queue.take(Duration.ZERO);
                if (delivery.isPresent()) {
                    assertThat(delivery.get().deliveryCount()).isEqualTo(2);
                    again.add(delivery.get().job().id().value());
                    delivery.get().ack();
                }
                clock.advance(Duration.ofMillis(10));
            }

            Set<String> expected = new HashSet<>();
            for (int i = 0; i < 100; i++) {
                if (i % 4 >= 2) {
                    expected.add("j" + i);
                }
            }
            assertThat(again).isEqualTo(expected);
            assertThat(queue.counts().inFlight()).as("the extended leases").isEqualTo(25);
            assertThat(queue.size()).isEqualTo(25);
        }
    }

    @Test
    @DisplayName("keeps track of leases taken on several threads and acked on others, in any order")
    void leasesOfManyThreadsAckedElsewhere() throws Exception {
        ManualClock clock = ManualClock.create();
        int takers = 6;
        int perTaker = 150; // past a lease stripe's first array, and enough acks to shrink it again
        try (InMemoryJobQueue queue = InMemoryJobQueue.builder().clock(clock).leaseTime(LEASE).build()) {
            for (int i = 0; i < takers * perTaker; i++) {
                queue.put(job("m" + i));
            }
            List<Future<List<Delivery>>> taking = new ArrayList<>();
            for (int t = 0; t < takers; t++) {
                taking.add(threads.submit(() -> {
                    List<Delivery> mine = new ArrayList<>();
                    for (int i = 0; i < perTaker; i++) {
                        mine.add(takeNow(queue));
                    }
                    return mine;
                }));
            }
            List<Delivery> held = new ArrayList<>();
            for (Future<List<Delivery>> future : taking) {
                held.addAll(future.get(DEADLINE_SECONDS, TimeUnit.SECONDS));
            }
            assertThat(queue.counts().inFlight()).isEqualTo(takers * perTaker);

            java.util.Collections.shuffle(held, new java.util.Random(15));
            Set<String> kept = new HashSet<>();
            for (int i = 0; i < held.size(); i++) {
                if (i % 5 == 0) {
                    kept.add(held.get(i).job().id().value()); // never acked: its lease runs out
                } else {
                    held.get(i).ack(); // on this thread, not the one that took it
                }
            }
            assertThat(queue.counts().inFlight()).isEqualTo(kept.size());
            assertThat(queue.size()).isEqualTo(kept.size());

            clock.advance(LEASE);
            Set<String> again = new HashSet<>();
            Optional<Delivery> next;
            while ((next = queue.take(Duration.ZERO)).isPresent()) {
                assertThat(next.get().deliveryCount()).isEqualTo(2);
                assertThat(again.add(next.get().job().id().value())).as("delivered again once").isTrue();
                next.get().ack();
            }
            assertThat(again).isEqualTo(kept);
            for (Delivery late : held) {
                late.ack(); // a late ack of a lease that ran out and was taken again changes nothing
            }
            assertThat(queue.size()).isZero();
            assertThat(queue.counts().inFlight()).isZero();
        }
    }

    @Test
    @DisplayName("keeps start times and leases exact past the years a count of nanoseconds reaches (1677 - 2262)")
    void timesFarFromTheEpoch() throws Exception {
        MovableClock clock = new MovableClock(Instant.parse("2300-01-01T00:00:00Z"));
        try (InMemoryJobQueue queue = InMemoryJobQueue.builder().clock(clock).leaseTime(LEASE).build()) {
            queue.put(job("y3000").toBuilder().requestedStartTime(Instant.parse("3000-01-01T00:00:00Z")).build());
            queue.put(job("y2500").toBuilder().requestedStartTime(Instant.parse("2500-01-01T00:00:00Z")).build());
            assertThat(queue.take(Duration.ZERO)).as("nothing due by 2300").isEmpty();
            assertThat(queue.counts().delayed()).isEqualTo(2);

            clock.set(Instant.parse("2600-01-01T00:00:00Z"));
            Delivery first = takeNow(queue);
            assertThat(first.job().id().value()).isEqualTo("y2500");
            assertThat(first.leaseExpiresAt()).isEqualTo(Instant.parse("2600-01-01T00:00:00Z").plus(LEASE));
            assertThat(queue.take(Duration.ZERO)).as("y3000 is not due by 2600").isEmpty();

            clock.set(first.leaseExpiresAt().minusNanos(1));
            assertThat(queue.take(Duration.ZERO)).as("the lease has a nanosecond left").isEmpty();
            clock.set(first.leaseExpiresAt());
            Delivery again = takeNow(queue);
            assertThat(again.job().id().value()).isEqualTo("y2500");
            assertThat(again.deliveryCount()).isEqualTo(2);
            again.ack();

            clock.set(Instant.parse("3000-01-01T00:00:00Z"));
            assertThat(takeNow(queue).job().id().value()).isEqualTo("y3000");
        }
    }

    @Test
    @DisplayName("ends on time a lease taken after the clock went back")
    void leaseAfterClockWentBack() throws Exception {
        MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Instant start = clock.instant();
        try (InMemoryJobQueue queue = InMemoryJobQueue.builder().clock(clock).leaseTime(LEASE).build()) {
            queue.put(job("early"));
            queue.put(job("urgent").toBuilder().priority(5).build());
            clock.set(start.plusSeconds(5));
            assertThat(takeNow(queue).job().id().value()).isEqualTo("urgent"); // the queue looks at its leases now
            clock.set(start.plusSeconds(1));
            Delivery early = takeNow(queue);
            assertThat(early.job().id().value()).isEqualTo("early");

            clock.set(early.leaseExpiresAt());

            Delivery again = takeNow(queue);
            assertThat(again.job().id().value()).isEqualTo("early");
            assertThat(again.deliveryCount()).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("does not hand out a job put at a time the clock went back before")
    void putBeforeClockWentBack() throws Exception {
        MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Instant start = clock.instant();
        try (InMemoryJobQueue queue = InMemoryJobQueue.builder().clock(clock).leaseTime(LEASE).build()) {
            clock.set(start.plusSeconds(10));
            queue.put(job("later"));
            clock.set(start);
            queue.put(job("now"));

            assertThat(takeNow(queue).job().id().value()).isEqualTo("now");
            assertThat(queue.take(Duration.ZERO)).as("a job put 10 s from now, by this clock").isEmpty();
            clock.set(start.plusSeconds(10));
            assertThat(takeNow(queue).job().id().value()).isEqualTo("later");
        }
    }

    @Test
    @DisplayName("runs three steps of many jobs from four threads at once, each step once")
    void concurrentSteps() throws Exception {
        int jobs = 2_000;
        try (InMemoryJobQueue queue = InMemoryJobQueue.builder().leaseTime(Duration.ofMinutes(5)).build()) {
            for (int i = 0; i < jobs; i++) {
                queue.put(job("c" + i));
            }
            java.util.Map<String, Integer> seen = new java.util.concurrent.ConcurrentHashMap<>();
            java.util.concurrent.atomic.AtomicInteger finished = new java.util.concurrent.atomic.AtomicInteger();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                running.add(threads.submit(() -> {
                    while (finished.get() < jobs && System.nanoTime() < deadline) {
                        Optional<Delivery> taken = queue.take(Duration.ofMillis(100));
                        if (taken.isEmpty()) {
                            continue;
                        }
                        Job job = taken.get().job();
                        seen.merge(job.id().value() + "#" + job.stepsCompleted(), 1, Integer::sum);
                        if (job.stepsCompleted() < 2) {
                            queue.put(job.toBuilder().stepsCompleted(job.stepsCompleted() + 1).build());
                        } else {
                            finished.incrementAndGet();
                        }
                        taken.get().ack();
                    }
                    return null;
                }));
            }
            for (Future<?> future : running) {
                future.get(DEADLINE_SECONDS * 2, TimeUnit.SECONDS);
            }

            assertThat(finished.get()).isEqualTo(jobs);
            assertThat(seen).hasSize(jobs * 3).allSatisfy((step, count) -> assertThat(count).as(step).isEqualTo(1));
            assertThat(queue.size()).isZero();
            assertThat(queue.counts().ready() + queue.counts().inFlight()).isZero();
        }
    }
}
