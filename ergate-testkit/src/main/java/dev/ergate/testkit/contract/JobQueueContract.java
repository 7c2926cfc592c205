package dev.ergate.testkit.contract;

import static dev.ergate.testkit.contract.SampleJobs.idOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.JobId;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.ErgateBackendException;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobTooLargeException;
import dev.ergate.spi.LeaseLostException;
import dev.ergate.spi.QueueCounts;
import dev.ergate.spi.QueueStats;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link JobQueue} and its {@link Delivery} must pass. An adapter's test
 * extends it and gives a new, empty queue per test; optional hooks ({@link #putRaw}, {@link
 * #deadLetters}, {@link #maxJobBytes()}) turn on more tests, and timing and run time are in the
 * testkit README. Not thread-safe: JUnit runs one test of an instance at a time.
 *
 * <pre>{@code
 * class InMemoryJobQueueContractTest extends JobQueueContract {
 *     @Override
 *     protected JobQueue newQueue(Duration leaseTime) {
 *         return InMemoryJobQueue.builder().leaseTime(leaseTime).build();
 *     }
 * }
 * }</pre>
 */
@DisplayName("JobQueue contract")
public abstract class JobQueueContract {

    /** The lease for tests that must never see a lease run out. */
    protected static final Duration LONG_LEASE = Duration.ofSeconds(60);
    /** The lease for tests that wait for a lease to run out. */
    protected static final Duration SHORT_LEASE = Duration.ofSeconds(2);
    /** The delay of the delayed-delivery tests. */
    protected static final Duration DELAY = Duration.ofSeconds(2);
    /** How much earlier than due a delivery may come (clock granularity between client and server). */
    protected static final Duration EARLY_TOLERANCE = Duration.ofMillis(250);
    /** How long after it is due a delayed or expired job may take to show up, before the slack. */
    protected static final Duration DUE_LATENESS = Duration.ofSeconds(5);

    private static final Duration MAX_SINGLE_TAKE = Duration.ofSeconds(5);
    private static final JobCodec CODEC = JobCodec.standard();

    private final List<JobQueue> opened = new ArrayList<>();

    /**
     * Creates the queue under test.
     *
     * @param leaseTime how long a taken job stays leased before it is delivered again
     * @return a new, empty queue, isolated from every other test's; the suite closes it after
     *     the test
     * @throws Exception if the backend can't be set up
     */
    protected abstract JobQueue newQueue(Duration leaseTime) throws Exception;

    /**
     * Pushes raw bytes straight into the queue's ready structure, as a broken producer would,
     * bypassing {@link JobQueue#put}. Override to run the undecodable-message tests.
     *
     * @param queue a queue from {@link #newQueue}
     * @param message the bytes to push
     * @return true if pushed; false (the default) if not supported, which skips those tests
     * @throws Exception if the backend fails
     */
    protected boolean putRaw(JobQueue queue, byte[] message) throws Exception {
        return false;
    }

    /**
     * {@return whether a job pushed by {@link #putRaw} waits for its {@code requested_start_time};
     * true by default (a rule of every queue). An adapter that does not honour it yet overrides
     * this with false, which skips that one case, and says so where it overrides}
     */
    protected boolean rawPushHonoursStartTime() {
        return true;
    }

    /**
     * Reads the queue's dead-letter place. Override to check what ends up there.
     *
     * @param queue a queue from {@link #newQueue}
     * @return the raw texts of the dead-lettered messages
     * @throws UnsupportedOperationException (the default) if not supported, which skips those
     *     checks
     * @throws Exception if the backend fails
     */
    protected List<String> deadLetters(JobQueue queue) throws Exception {
        throw new UnsupportedOperationException("deadLetters(queue) is not overridden");
    }

    /**
     * {@return the largest job, as {@link JobCodec#standard()} JSON bytes, that the queue's {@code
     * put} accepts; empty (the default) when it has no limit, which skips the oversize test and
     * puts a 1 MiB value instead}
     */
    protected OptionalLong maxJobBytes() {
        return OptionalLong.empty();
    }

    /**
     * {@return true when the queue hands out a higher {@link Job#priority()} first, which runs the
     * "priorities" tests; false (the default) skips them. Turn it on when the adapter implements
     * priorities}
     */
    protected boolean supportsPriorities() {
        return false;
    }

    /** {@return extra time allowed on every timing assertion, for slow backends; 500 ms by default} */
    protected Duration timingSlack() {
        return Duration.ofMillis(500);
    }

    /**
     * @param leaseTime the lease time
     * @return a new queue that the suite closes after the test
     * @throws Exception if the backend can't be set up
     */
    protected final JobQueue queue(Duration leaseTime) throws Exception {
        JobQueue queue = newQueue(leaseTime);
        opened.add(queue);
        return queue;
    }

    @AfterEach
    void closeQueues() throws Exception {
        Exception failure = null;
        for (JobQueue queue : opened) {
            try {
                queue.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        opened.clear();
        if (failure != null) {
            throw failure;
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Takes repeatedly, each take at most 5 s, until a job comes or {@code budget} runs out. */
    private static Optional<Delivery> takeWithin(JobQueue queue, Duration budget) throws InterruptedException {
        long deadline = System.nanoTime() + budget.toNanos();
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return Optional.empty();
            }
            Duration wait = Duration.ofNanos(Math.min(remaining, MAX_SINGLE_TAKE.toNanos()));
            Optional<Delivery> delivery = queue.take(wait);
            if (delivery.isPresent()) {
                return delivery;
            }
        }
    }

    private Delivery takeOne(JobQueue queue, Duration budget, String what) throws InterruptedException {
        Optional<Delivery> delivery = takeWithin(queue, budget);
        assertThat(delivery).as("%s: a delivery within %s", what, budget).isPresent();
        return delivery.get();
    }

    private @Nullable List<String> deadLettersOrNull(JobQueue queue) throws Exception {
        try {
            return deadLetters(queue);
        } catch (UnsupportedOperationException notSupported) {
            return null;
        }
    }

    private Duration prompt() {
        return Duration.ofSeconds(2).plus(timingSlack());
    }

    private static void assertSameJob(Job actual, Job expected) {
        assertThat(CODEC.toTree(actual)).as("the job's JSON").isEqualTo(CODEC.toTree(expected));
        assertThat(actual).as("the job").isEqualTo(expected);
    }

    private static void assertSameJob(Delivery delivery, Job expected) {
        assertSameJob(delivery.job(), expected);
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    // ---------------------------------------------------------------- round trip

    /** What goes in comes out: every field, every byte. */
    @Nested
    @DisplayName("put then take")
    class RoundTrip {

        @Test
        @DisplayName("returns the job with every field as it was put")
        void everyField() throws Exception {
            JobQueue queue = queue(LONG_LEASE);
            Job job = SampleJobs.everyField("every-field");

            queue.put(job);
            Delivery delivery = takeOne(queue, prompt(), "the job just put");

            assertSameJob(delivery, job);
            assertThat(delivery.deliveryCount()).as("delivery count of a first delivery").isEqualTo(1);
            delivery.ack();
        }

        @Test
        @DisplayName("keeps a numeric id numeric")
        void numericId() throws Exception {
            JobQueue queue = queue(LONG_LEASE);
            Job job = SampleJobs.numericId();

            queue.put(job);
            Delivery delivery = takeOne(queue, prompt(), "the job just put");

            assertThat(delivery.job().id()).isEqualTo(job.id());
            assertThat(idOf(delivery.job()).isNumeric()).as("id is a JSON integer").isTrue();
            delivery.ack();
        }

        @Test
        @DisplayName("keeps unicode text in names, values and context")
        void unicode() throws Exception {
            JobQueue queue = queue(LONG_LEASE);
            Job job = SampleJobs.simple("unicode").toBuilder()
                    .workflowName("заказ-处理-🚚")
                    .stepName("шаг ✅")
                    .initialInputValue(SampleJobs.text(SampleJobs.UNICODE))
                    .userContext(SampleJobs.JSON.objectNode().put(SampleJobs.UNICODE, SampleJobs.UNICODE))
                    .build();

            queue.put(job);
            Delivery delivery = takeOne(queue, prompt(), "the job just put");

            assertSameJob(delivery, job);
            assertThat(delivery.job().initialInputValue().textValue()).isEqualTo(SampleJobs.UNICODE);
            delivery.ack();
        }

        @Test
        @DisplayName("keeps fields Ergate does not know")
        void extraFields() throws Exception {
            JobQueue queue = queue(LONG_LEASE);
            Job job = SampleJobs.simple("extra").toBuilder()
                    .extraField("current_step", SampleJobs.JSON.numberNode(3))
                    .extraField("x-origin", SampleJobs.JSON.objectNode().put("system", "billing")
                            .set("hops", SampleJobs.JSON.arrayNode().add("a").add("b")))
                    .build();

            queue.put(job);
            Delivery delivery = takeOne(queue, prompt(), "the job just put");

            assertThat(delivery.job().extraFields()).isEqualTo(job.extraFields());
            assertSameJob(delivery, job);
            delivery.ack();
        }

        @Test
        @DisplayName("carries a value near the backend's size limit (1 MiB when it has none)")
        void largeValue() throws Exception {
            JobQueue queue = queue(LONG_LEASE);
            long limit = maxJobBytes().orElse(-1);
            int payload;
            if (limit > 0) {
                int base = CODEC.encode(SampleJobs.withPayload("large", 0)).length;
                payload = (int) Math.max(0, limit - 1024 - base);
            } else {
                payload = 1024 * 1024;
            }
            Job job = SampleJobs.withPayload("large", payload);

            queue.put(job);
            Delivery delivery = takeOne(queue, prompt(), "the large job");

            assertThat(delivery.job().initialInputValue().textValue()).hasSize(payload);
            assertSameJob(delivery, job);
            delivery.ack();
        }

        @Test
        @DisplayName("refuses a job over the size limit with JobTooLargeException, writing nothing")
        void oversize() throws Exception {
            OptionalLong limit = maxJobBytes();
            assumeTrue(limit.isPresent(), "the queue declares no size limit (maxJobBytes())");
            JobQueue queue = queue(LONG_LEASE);
            int base = CODEC.encode(SampleJobs.withPayload("oversize", 0)).length;
            Job job = SampleJobs.withPayload("oversize", (int) (limit.getAsLong() + 1024 - base));

            Throwable thrown = catchThrowable(() -> queue.put(job));

            assertThat(thrown).isInstanceOf(JobTooLargeException.class);
            JobTooLargeException tooLarge = (JobTooLargeException) thrown;
            assertThat(tooLarge.jobId()).isEqualTo(job.id());
            assertThat(tooLarge.sizeBytes()).isGreaterThan(tooLarge.limitBytes());
            assertThat(queue.take(Duration.ofSeconds(1))).as("nothing was written").isEmpty();
        }
    }

    // ---------------------------------------------------------------- waiting

    /** A take blocks up to its maxWait, cheaply, and wakes up for new work. */
    @Nested
    @DisplayName("take")
    class Take {

        @Test
        @DisplayName("on an empty queue returns empty after about maxWait, not much later")
        void emptyAfterMaxWait() throws Exception {
            JobQueue queue = queue(LONG_LEASE);
            queue.take(Duration.ZERO);
            Duration maxWait = Duration.ofSeconds(2);

            long start = System.nanoTime();
            Optional<Delivery> delivery = queue.take(maxWait);
            Duration elapsed = since(start);

            assertThat(delivery).isEmpty();
            assertThat(elapsed).as("time blocked").isGreaterThanOrEqualTo(maxWait.dividedBy(2))
                    .isLessThanOrEqualTo(maxWait.plus(timingSlack()));
        }

        @Test
        @DisplayName("with zero wait returns at once")
        void zeroWait() throws Exception {
            JobQueue queue = queue(LONG_LEASE);
            queue.take(Duration.ZERO);

            long start = System.nanoTime();
            Optional<Delivery> delivery = queue.take(Duration.ZERO);

            assertThat(delivery).isEmpty();
            assertThat(since(start)).isLessThanOrEqualTo(Duration.ofSeconds(1).plus(timingSlack()));
        }

        @Test
        @DisplayName("on an empty queue does not busy-poll (the taking thread uses little CPU)")
        void noBusyPoll() throws Exception {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            assumeTrue(threads.isCurrentThreadCpuTimeSupported(), "this JVM can't measure thread CPU time");
            if (!threads.isThreadCpuTimeEnabled()) {
                threads.setThreadCpuTimeEnabled(true);
            }
            JobQueue queue = queue(LONG_LEASE);
            queue.take(Duration.ZERO);
            queue.take(Duration.ofMillis(200));

            long cpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            Optional<Delivery> delivery = queue.take(Duration.ofSeconds(2));
            Duration wall = since(start);
            Duration cpu = Duration.ofNanos(threads.getCurrentThreadCpuTime() - cpuStart);

            assertThat(delivery).isEmpty();
            assertThat(cpu).as("CPU time of the taking thread while it waited %s", wall)
                    .isLessThanOrEqualTo(wall.dividedBy(5));
        }

        @Test
        @DisplayName("that is waiting gets a job put meanwhile, without waiting out maxWait")
        void wakesForNewJob() throws Exception {
            JobQueue queue = queue(LONG_LEASE);
            Job job = SampleJobs.simple("wake");
            ExecutorService taker = Executors.newSingleThreadExecutor();
            try {
                CountDownLatch taking = new CountDownLatch(1);
                Future<Optional<Delivery>> result = taker.submit(() -> {
                    taking.countDown();
                    return queue.take(Duration.ofSeconds(15));
                });
                assertThat(taking.await(10, TimeUnit.SECONDS)).as("taker thread started").isTrue();
                try {
                    Optional<Delivery> early = result.get(1, TimeUnit.SECONDS);
                    assertThat(early).as("take(15 s) returned within 1 s on an empty queue").isPresent();
                } catch (java.util.concurrent.TimeoutException stillWaiting) {
                    // as it should: the taker is blocked in take; now give it a job
                }

                long put = System.nanoTime();
                queue.put(job);
                Optional<Delivery> delivery = result.get(30, TimeUnit.SECONDS);

                assertThat(delivery).isPresent();
                assertSameJob(delivery.get(), job);
                assertThat(since(put)).as("time from put to delivery")
                        .isLessThanOrEqualTo(Duration.ofSeconds(5).plus(timingSlack()));
                delivery.get().ack();
            } finally {
                taker.shutdownNow();
            }
        }
    }

    // ---------------------------------------------------------------- delayed delivery

    /** {@code requested_start_time} delays delivery. */
    @Nested
    @DisplayName("a job with a requested start time")
    class Delayed {

        @Test
        @DisplayName("is not delivered before it, and is delivered once it has passed")
        void notEarlyThenDelivered() throws Exception {
            JobQueue queue = queue(LONG_LEASE);
            Instant due = Instant.now().plus(DELAY);
            Job job = SampleJobs.simple("delayed").toBuilder().requestedStartTime(due).build();

            queue.put(job);
            assertThat(queue.take(Duration.ZERO)).as("taken right after put").isEmpty();
            Delivery delivery = takeOne(queue, DELAY.plus(DUE_LATENESS).plus(timingSlack()), "the delayed job");
            Instant deliveredAt = Instant.now();

            assertThat(deliveredAt).as("delivery time, due at %s", due)
                    .isAfterOrEqualTo(due.minus(EARLY_TOLERANCE));
            assertSameJob(delivery, job);
            delivery.ack();
        }

        @Test
        @DisplayName("on a raw-pushed job (a foreign producer) is honoured too: not taken early")
        void rawPushedNotEarly() throws Exception {
            JobQueue queue = queue(LONG_LEASE);
            Instant due = Instant.now().plus(DELAY);
            Job job = SampleJobs.simple("raw-delayed").toBuilder().requestedStartTime(due).build();
            assumeTrue(rawPushHonoursStartTime(), "the adapter does not honour a raw push's start time yet");
            assumeTrue(putRaw(queue, JobCodec.standard().encode(job)), "putRaw(queue, bytes) is not overridden");

            assertThat(queue.take(Duration.ZERO)).as("taken right after the raw push").isEmpty();
            Delivery delivery = takeOne(queue, DELAY.plus(DUE_LATENESS).plus(timingSlack()), "the raw-pushed job");

            assertThat(Instant.now()).as("delivery time, due at %s", due).isAfterOrEqualTo(due.minus(EARLY_TOLERANCE));
            assertThat(delivery.job().id()).isEqualTo(job.id());
            delivery.ack();
        }

        @Test
        @DisplayName("in the past is delivered at once")
        void pastIsReady() throws Exception {
            JobQueue queue = queue(LONG_LEASE);
            Job job = SampleJobs.simple("past").toBuilder()
                    .requestedStartTime(Instant.now().minus(Duration.ofHours(1)))
                    .build();

            queue.put(job);
            Delivery delivery = takeOne(queue, prompt(), "the job due an hour ago");

            assertSameJob(delivery, job);
            delivery.ack();
        }

        @Test
        @DisplayName("does not hold back a job that is ready")
        void doesNotBlockReady() throws Exception {
            JobQueue queue = queue(LONG_LEASE);
            Job later = SampleJobs.simple("later").toBuilder()
                    .requestedStartTime(Instant.now().plus(Duration.ofMinutes(10)))
                    .build();
            Job now = SampleJobs.simple("now");

            queue.put(later);
            queue.put(now);
            Delivery delivery = takeOne(queue, prompt(), "the ready job");

            assertThat(delivery.job().id()).isEqualTo(now.id());
            delivery.ack();
            assertThat(queue.take(Duration.ofSeconds(1))).as("the delayed job, 10 minutes early").isEmpty();
        }
    }

    // ---------------------------------------------------------------- priorities

    /** {@link Job#priority()}: higher first, equal ones in put order, kept on release. */
    @Nested
    @DisplayName("priorities")
    class Priorities {

        /** Takes and acks {@code count} jobs, returning the label of each (the workflow name). */
        private List<String> takeAllAcking(JobQueue queue, int count) throws Exception {
            List<String> taken = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Delivery delivery = takeOne(queue, prompt(), "job " + (i + 1) + " of " + count);
                taken.add(delivery.job().workflowName() + "@" + delivery.job().priority());
                delivery.ack();
            }
            return taken;
        }

        /** A job whose workflow name is its label, so the order taken reads as labels. */
        private Job withPriority(String label, int priority) {
            return SampleJobs.simple(label).toBuilder().workflowName(label).priority(priority).build();
        }

        @Test
        @DisplayName("hands out a higher priority first, equal priorities in put order")
        void higherFirst() throws Exception {
            assumeTrue(supportsPriorities(), "the queue declares no priorities (supportsPriorities())");
            JobQueue queue = queue(LONG_LEASE);
            List<Job> put = List.of(withPriority("low", -5), withPriority("zero-a", 0),
                    withPriority("high", Job.MAX_PRIORITY), withPriority("zero-b", 0), withPriority("mid", 3));
            for (Job job : put) {
                queue.put(job);
            }

            assertThat(takeAllAcking(queue, put.size()))
                    .containsExactly("high@" + Job.MAX_PRIORITY, "mid@3", "zero-a@0", "zero-b@0", "low@-5");
        }

        @Test
        @DisplayName("keeps a job's priority when it is released")
        void keptOnRelease() throws Exception {
            assumeTrue(supportsPriorities(), "the queue declares no priorities (supportsPriorities())");
            JobQueue queue = queue(LONG_LEASE);
            queue.put(withPriority("high", 7));
            Delivery first = takeOne(queue, prompt(), "the high job");
            queue.put(withPriority("low", 1));

            first.release(Duration.ZERO);

            assertThat(takeAllAcking(queue, 2)).containsExactly("high@7", "low@1");
        }

        @Test
        @DisplayName("does not hand out a delayed high-priority job before its start time")
        void delayedHighWaits() throws Exception {
            assumeTrue(supportsPriorities(), "the queue declares no priorities (supportsPriorities())");
            JobQueue queue = queue(LONG_LEASE);
            Instant due = Instant.now().plus(DELAY);
            queue.put(withPriority("delayed-high", 9).toBuilder().requestedStartTime(due).build());
            queue.put(withPriority("ready-low", 0));

            assertThat(takeAllAcking(queue, 1)).as("taken while the high one is not due").containsExactly("ready-low@0");
            Delivery later = takeOne(queue, DELAY.plus(DUE_LATENESS).plus(timingSlack()), "the delayed high job");

            assertThat(later.job().workflowName()).isEqualTo("delayed-high");
            assertThat(Instant.now()).as("delivery time, due at %s", due).isAfterOrEqualTo(due.minus(EARLY_TOLERANCE));
            later.ack();
        }
    }

    // ---------------------------------------------------------------- leases

    /** A taken job is leased: invisible to others until acked, released, or the lease runs out. */
    @Nested
    @DisplayName("a lease")
    class Leases {

        @Test
        @DisplayName("makes the job invisible to other takers")
        void invisibleWhileLeased() throws Exception {
            JobQueue queue = queue(LONG_LEASE);
            Job job = SampleJobs.simple("leased");
            queue.put(job);
            Delivery delivery = takeOne(queue, prompt(), "the job");

            Optional<Delivery> second = queue.take(Duration.ofSeconds(1));

            assertThat(second).as("a second take while the job is leased").isEmpty();
            delivery.ack();
        }

        @Test
        @DisplayName("expires about the lease time after the take")
        void expiryTime() throws Exception {
            JobQueue queue = queue(LONG_LEASE);
            queue.put(SampleJobs.simple("expiry"));

            Instant before = Instant.now();
            Delivery delivery = takeOne(queue, prompt(), "the job");
            Instant after = Instant.now();

            assertThat(delivery.leaseExpiresAt())
                    .isAfterOrEqualTo(before.plus(LONG_LEASE).minus(EARLY_TOLERANCE).minus(timingSlack()))
                    .isBeforeOrEqualTo(after.plus(LONG_LEASE).plus(timingSlack()));
            delivery.ack();
        }

        @Test
        @DisplayName("that runs out unacked delivers the job again, counting the delivery")
        void expiredLeaseRedelivers() throws Exception {
            JobQueue queue = queue(SHORT_LEASE);
            Job job = SampleJobs.simple("crash");
            queue.put(job);
            Instant takenAt = Instant.now();
            Delivery first = takeOne(queue, prompt(), "the job");
            assertThat(queue.take(Duration.ZERO)).as("taken again at once").isEmpty();

            Delivery second = takeOne(queue, SHORT_LEASE.plus(DUE_LATENESS).plus(timingSlack()),
                    "the job again after its lease ran out");

            assertThat(Instant.now()).as("redelivery time").isAfterOrEqualTo(takenAt.plus(SHORT_LEASE).minus(EARLY_TOLERANCE));
            assertSameJob(second, job);
            assertThat(first.deliveryCount()).isEqualTo(1);
            assertThat(second.deliveryCount()).isEqualTo(2);
            second.ack();
        }

        @Test
        @DisplayName("ended by ack removes the job for good")
        void ackRemoves() throws Exception {
            JobQueue queue = queue(SHORT_LEASE);
            queue.put(SampleJobs.simple("ack"));
            Delivery delivery = takeOne(queue, prompt(), "the job");

            delivery.ack();

            assertThat(takeWithin(queue, SHORT_LEASE.plus(Duration.ofSeconds(1)).plus(timingSlack())))
                    .as("the acked job, after its lease would have run out")
                    .isEmpty();
        }

        @Test
        @DisplayName("that was lost to another taker can't ack the job away from it")
        void staleAckIsHarmless() throws Exception {
            JobQueue queue = queue(SHORT_LEASE);
            Job job = SampleJobs.simple("stale-ack");
            queue.put(job);
            Delivery stale = takeOne(queue, prompt(), "the job");
            Delivery current = takeOne(queue, SHORT_LEASE.plus(DUE_LATENESS).plus(timingSlack()),
                    "the job after the first lease ran out");

            assertThatCode(stale::ack).as("a stale ack").doesNotThrowAnyException();
            current.release(Duration.ZERO);

            Delivery again = takeOne(queue, prompt(), "the job, still on the queue after the stale ack");
            assertSameJob(again, job);
            again.ack();
        }

        @Test
        @DisplayName("ended by release(zero) makes the job available again at once")
        void releaseNow() throws Exception {
            JobQueue queue = queue(LONG_LEASE);
            Job job = SampleJobs.simple("release-now");
            queue.put(job);
            Delivery first = takeOne(queue, prompt(), "the job");

            first.release(Duration.ZERO);
            Delivery second = takeOne(queue, prompt(), "the released job");

            assertSameJob(second, job);
            assertThat(second.deliveryCount()).isEqualTo(2);
            second.ack();
        }

        @Test
        @DisplayName("ended by release(delay) hides the job for that delay")
        void releaseLater() throws Exception {
            JobQueue queue = queue(LONG_LEASE);
            Job job = SampleJobs.simple("release-later");
            queue.put(job);
            Delivery first = takeOne(queue, prompt(), "the job");

            Instant releasedAt = Instant.now();
            first.release(DELAY);
            assertThat(queue.take(Duration.ZERO)).as("taken right after release").isEmpty();
            Delivery second = takeOne(queue, DELAY.plus(DUE_LATENESS).plus(timingSlack()), "the released job");

            assertThat(Instant.now()).as("redelivery time").isAfterOrEqualTo(releasedAt.plus(DELAY).minus(EARLY_TOLERANCE));
            assertSameJob(second, job);
            second.ack();
        }

        @Test
        @DisplayName("ended by releaseUnstarted(delay) hides the job for that delay, then delivers it once, whole")
        void releaseUnstarted() throws Exception {
            JobQueue queue = queue(LONG_LEASE);
            Job job = SampleJobs.simple("release-unstarted");
            queue.put(job);
            Delivery first = takeOne(queue, prompt(), "the job");

            Instant releasedAt = Instant.now();
            first.releaseUnstarted(DELAY);
            assertThat(queue.take(Duration.ZERO)).as("taken right after releaseUnstarted").isEmpty();
            Delivery second = takeOne(queue, DELAY.plus(DUE_LATENESS).plus(timingSlack()), "the job given back");

            assertThat(Instant.now()).as("redelivery time").isAfterOrEqualTo(releasedAt.plus(DELAY).minus(EARLY_TOLERANCE));
            assertSameJob(second, job);
            assertThat(second.deliveryCount()).as("a give-back before the start counts at most as release does")
                    .isBetween(1, 2);
            second.ack();
            assertThat(queue.take(prompt())).as("a second copy of the job").isEmpty();
        }

        @Test
        @DisplayName("extended outlives its original end")
        void extend() throws Exception {
            JobQueue queue = queue(SHORT_LEASE);
            queue.put(SampleJobs.simple("extend"));
            Delivery delivery = takeOne(queue, prompt(), "the job");
            Instant originalEnd = delivery.leaseExpiresAt();

            delivery.extend(Duration.ofSeconds(30));

            assertThat(delivery.leaseExpiresAt()).as("lease end after extend").isAfter(originalEnd);
            assertThat(takeWithin(queue, SHORT_LEASE.plus(Duration.ofSeconds(1)).plus(timingSlack())))
                    .as("the job, after its original lease would have run out")
                    .isEmpty();
            delivery.ack();
        }

        @Test
        @DisplayName("that was lost to another taker can't be extended")
        void extendLostLease() throws Exception {
            JobQueue queue = queue(SHORT_LEASE);
            queue.put(SampleJobs.simple("extend-lost"));
            Delivery stale = takeOne(queue, prompt(), "the job");
            Delivery current = takeOne(queue, SHORT_LEASE.plus(DUE_LATENESS).plus(timingSlack()),
                    "the job after the first lease ran out");

            assertThatThrownBy(() -> stale.extend(Duration.ofSeconds(30)))
                    .isInstanceOf(LeaseLostException.class);
            current.ack();
        }
    }

    // ---------------------------------------------------------------- the Delivery contract

    /** What every Delivery does with odd calls (see the {@code Delivery} javadoc): one answer for all adapters. */
    @Nested
    @DisplayName("a delivery")
    class DeliveryCalls {

        @Test
        @DisplayName("refuses extend(zero) and a negative extension, keeping its lease")
        void extendZero() throws Exception {
            JobQueue queue = queue(LONG_LEASE);
            queue.put(SampleJobs.simple("extend-zero"));
            Delivery delivery = takeOne(queue, prompt(), "the job");
            Instant end = delivery.leaseExpiresAt();

            assertThatThrownBy(() -> delivery.extend(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> delivery.extend(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> delivery.release(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class);

            assertThat(delivery.leaseExpiresAt()).as("lease end").isEqualTo(end);
            assertThat(queue.take(Duration.ZERO)).as("a take while the job is still leased").isEmpty();
            delivery.ack();
        }

        @Test
        @DisplayName("that ended ignores further ending calls, and refuses extend with LeaseLostException")
        void callsAfterEnd() throws Exception {
            JobQueue queue = queue(SHORT_LEASE);
            Job job = SampleJobs.simple("after-end");
            queue.put(job);
            Delivery delivery = takeOne(queue, prompt(), "the job");
            delivery.ack();

            assertThatCode(() -> {
                delivery.ack();
                delivery.release(Duration.ZERO);
                delivery.deadLetter("contract test: after the end");
            }).as("ending calls after the end").doesNotThrowAnyException();
            assertThatThrownBy(() -> delivery.extend(Duration.ofSeconds(30))).isInstanceOf(LeaseLostException.class);

            assertThat(takeWithin(queue, SHORT_LEASE.plus(Duration.ofSeconds(1)).plus(timingSlack())))
                    .as("the acked job, after a release of its ended delivery")
                    .isEmpty();
            List<String> dead = deadLettersOrNull(queue);
            if (dead != null) {
                String id = String.valueOf(job.id());
                assertThat(dead).as("dead letters").noneSatisfy(text -> assertThat(text).contains(id));
            }
        }

        @Test
        @DisplayName("whose lease was lost ends without touching the new lease: ack, release and deadLetter return, extend throws")
        void callsAfterLostLease() throws Exception {
            JobQueue queue = queue(SHORT_LEASE);
            List<Job> jobs = List.of(SampleJobs.simple("lost-ack"), SampleJobs.simple("lost-release"),
                    SampleJobs.simple("lost-dead"));
            for (Job job : jobs) {
                queue.put(job);
            }
            Map<JobId, Delivery> stale = new ConcurrentHashMap<>();
            for (int i = 0; i < jobs.size(); i++) {
                Delivery delivery = takeOne(queue, prompt(), "job " + i);
                stale.put(delivery.job().id(), delivery);
            }
            Map<JobId, Delivery> current = new ConcurrentHashMap<>();
            for (int i = 0; i < jobs.size(); i++) {
                Delivery delivery = takeOne(queue, SHORT_LEASE.plus(DUE_LATENESS).plus(timingSlack()),
                        "job " + i + " again after its lease ran out");
                current.put(delivery.job().id(), delivery);
            }
            assertThat(current.keySet()).as("jobs delivered again").isEqualTo(stale.keySet());

            for (Delivery lost : stale.values()) {
                assertThatThrownBy(() -> lost.extend(Duration.ofSeconds(30)))
                        .as("extend of a lost lease").isInstanceOf(LeaseLostException.class);
            }
            assertThatCode(() -> {
                deliveryOf(stale, jobs.get(0)).ack();
                deliveryOf(stale, jobs.get(1)).release(Duration.ZERO);
                deliveryOf(stale, jobs.get(2)).deadLetter("contract test: stale");
            }).as("ending calls on lost leases").doesNotThrowAnyException();

            assertThat(queue.take(Duration.ZERO)).as("a job the stale release would have freed").isEmpty();
            for (Delivery holder : current.values()) {
                assertThatCode(() -> holder.extend(Duration.ofSeconds(30)))
                        .as("the new lease of %s, after stale calls", holder.job().id())
                        .doesNotThrowAnyException();
                holder.ack();
            }
        }

        private Delivery deliveryOf(Map<JobId, Delivery> deliveries, Job job) {
            return Objects.requireNonNull(deliveries.get(job.id()), () -> "no delivery of " + job.id());
        }
    }

    // ---------------------------------------------------------------- bad and poisoned messages

    /** Messages that can't be run never block the queue and are never retried forever. */
    @Nested
    @DisplayName("a bad message")
    class BadMessages {

        @Test
        @DisplayName("that is not JSON is never handed out, and goes to the dead letters")
        void notJson() throws Exception {
            checkUndecodable("{not json at all", "not-json");
        }

        @Test
        @DisplayName("that is JSON but not a job is never handed out, and goes to the dead letters")
        void notAJob() throws Exception {
            checkUndecodable("{\"id\":\"no-workflow\",\"status\":\"QUEUED\"}", "not-a-job");
        }

        private void checkUndecodable(String garbage, String label) throws Exception {
            JobQueue queue = queue(SHORT_LEASE);
            assumeTrue(putRaw(queue, garbage.getBytes(StandardCharsets.UTF_8)),
                    "putRaw(queue, bytes) is not overridden");
            Job job = SampleJobs.simple(label);
            queue.put(job);

            Delivery delivery = takeOne(queue, prompt(), "the good job behind the bad message");
            assertSameJob(delivery, job);
            delivery.ack();
            assertThat(takeWithin(queue, SHORT_LEASE.plus(Duration.ofSeconds(1)).plus(timingSlack())))
                    .as("a delivery of the bad message")
                    .isEmpty();

            List<String> dead = deadLettersIfSupported(queue);
            if (dead != null) {
                assertThat(dead).as("dead letters").anySatisfy(text -> assertThat(text).contains(garbage));
            }
        }

        @Test
        @DisplayName("dead-lettered by a worker leaves the queue and is kept with the dead letters")
        void deadLetter() throws Exception {
            JobQueue queue = queue(SHORT_LEASE);
            Job job = SampleJobs.simple("poison");
            queue.put(job);
            Delivery delivery = takeOne(queue, prompt(), "the job");

            delivery.deadLetter("contract test: poison message");

            assertThat(takeWithin(queue, SHORT_LEASE.plus(Duration.ofSeconds(1)).plus(timingSlack())))
                    .as("the dead-lettered job, after its lease would have run out")
                    .isEmpty();
            List<String> dead = deadLettersIfSupported(queue);
            if (dead != null) {
                JobId id = idOf(job);
                assertThat(dead).as("dead letters").anySatisfy(text -> assertThat(text).contains(id.value()));
            }
        }

        private @Nullable List<String> deadLettersIfSupported(JobQueue queue) throws Exception {
            return deadLettersOrNull(queue);
        }
    }

    // ---------------------------------------------------------------- concurrency

    /** Many takers at once: every job delivered, none to two takers at once. */
    @Nested
    @DisplayName("many concurrent takers")
    class Concurrency {

        @Test
        @DisplayName("get every job exactly once, never the same job at the same time")
        void everyJobOnce() throws Exception {
            JobQueue queue = queue(LONG_LEASE);
            int jobs = 200;
            int takers = 8;
            Set<JobId> putIds = new HashSet<>();
            for (int i = 0; i < jobs; i++) {
                Job job = SampleJobs.simple("many-" + i);
                putIds.add(job.id());
                queue.put(job);
            }
            Map<JobId, AtomicInteger> deliveries = new ConcurrentHashMap<>();
            Set<JobId> inHand = ConcurrentHashMap.newKeySet();
            Set<JobId> heldTwice = ConcurrentHashMap.newKeySet();
            AtomicInteger acked = new AtomicInteger();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).plus(timingSlack().multipliedBy(10)).toNanos();

            ExecutorService pool = Executors.newFixedThreadPool(takers);
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int t = 0; t < takers; t++) {
                    running.add(pool.submit(() -> {
                        while (acked.get() < jobs && System.nanoTime() < deadline) {
                            Optional<Delivery> taken = queue.take(Duration.ofMillis(500));
                            if (taken.isEmpty()) {
                                continue;
                            }
                            JobId id = taken.get().job().id();
                            deliveries.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                            if (!inHand.add(id)) {
                                heldTwice.add(id);
                            }
                            taken.get().ack();
                            inHand.remove(id);
                            acked.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (Future<?> future : running) {
                    future.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(heldTwice).as("jobs held by two takers at once").isEmpty();
            assertThat(deliveries.keySet()).as("jobs delivered").isEqualTo(putIds);
            assertThat(deliveries).as("deliveries per job").allSatisfy((id, count) ->
                    assertThat(count.get()).as("deliveries of %s", id).isEqualTo(1));
            assertThat(queue.take(Duration.ofMillis(500))).as("anything left").isEmpty();
        }

        /**
         * The worker's step path from many threads at once: take, put the job's next step, ack.
         * Meanwhile one lease is left to run out, and must come back among them. A step is
         * delivered again only after a lease ran out (its delivery count says so).
         */
        @Test
        @DisplayName("that put each job's next step and ack lose no step, and a lease that runs out among them comes back")
        void stepsUnderContention() throws Exception {
            JobQueue queue = queue(SHORT_LEASE);
            int jobs = 60;
            int steps = 3;
            int takers = 8;
            Job abandoned = SampleJobs.simple("abandoned");
            queue.put(abandoned);
            Delivery left = takeOne(queue, prompt(), "the job whose lease is left to run out");
            assertThat(left.job().id()).isEqualTo(idOf(abandoned));
            Set<JobId> putIds = new HashSet<>();
            for (int i = 0; i < jobs; i++) {
                Job job = SampleJobs.simple("chain-" + i);
                putIds.add(job.id());
                queue.put(job);
            }
            Map<String, AtomicInteger> firstDeliveries = new ConcurrentHashMap<>();
            Set<JobId> finished = ConcurrentHashMap.newKeySet();
            AtomicReference<@Nullable Delivery> back = new AtomicReference<>();
            long deadline = System.nanoTime()
                    + Duration.ofSeconds(60).plus(SHORT_LEASE).plus(timingSlack().multipliedBy(10)).toNanos();

            ExecutorService pool = Executors.newFixedThreadPool(takers);
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int t = 0; t < takers; t++) {
                    running.add(pool.submit(() -> {
                        while ((finished.size() < jobs || back.get() == null) && System.nanoTime() < deadline) {
                            Optional<Delivery> taken = queue.take(Duration.ofMillis(500));
                            if (taken.isEmpty()) {
                                continue;
                            }
                            Delivery delivery = taken.get();
                            Job job = delivery.job();
                            if (idOf(abandoned).equals(job.id())) {
                                back.set(delivery);
                                delivery.ack();
                                continue;
                            }
                            if (delivery.deliveryCount() == 1) {
                                firstDeliveries.computeIfAbsent(job.id() + "#" + job.stepsCompleted(),
                                        k -> new AtomicInteger()).incrementAndGet();
                            }
                            if (job.stepsCompleted() + 1 < steps) {
                                queue.put(job.toBuilder().stepsCompleted(job.stepsCompleted() + 1).build());
                            } else {
                                finished.add(idOf(job));
                            }
                            delivery.ack();
                        }
                        return null;
                    }));
                }
                for (Future<?> future : running) {
                    future.get(180, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(finished).as("jobs whose last step was delivered").isEqualTo(putIds);
            assertThat(firstDeliveries).as("first deliveries per step").hasSize(jobs * steps)
                    .allSatisfy((step, count) -> assertThat(count.get()).as("first deliveries of %s", step).isEqualTo(1));
            Delivery again = back.get();
            assertThat(again).as("the job whose lease ran out, delivered again").isNotNull();
            assertThat(Objects.requireNonNull(again).deliveryCount()).as("its delivery count").isEqualTo(2);
            assertThat(queue.take(Duration.ofMillis(500))).as("anything left").isEmpty();
        }
    }

    // ---------------------------------------------------------------- counts

    /** A queue that implements {@link QueueStats} counts its messages where they are. */
    @Nested
    @DisplayName("counts (QueueStats)")
    class Counts {

        @Test
        @DisplayName("move as jobs are put, delayed, taken, acked and dead-lettered")
        void countsMove() throws Exception {
            JobQueue queue = queue(LONG_LEASE);
            assumeTrue(queue instanceof QueueStats, "the queue does not implement QueueStats");
            QueueStats stats = (QueueStats) queue;
            expectCounts(stats, 0, 0, 0, 0, "an empty queue");

            queue.put(SampleJobs.simple("count-a"));
            queue.put(SampleJobs.simple("count-b"));
            queue.put(SampleJobs.simple("count-later").toBuilder()
                    .requestedStartTime(Instant.now().plus(Duration.ofHours(1))).build());
            expectCounts(stats, 2, 1, 0, 0, "after two puts and a delayed put");

            Delivery first = takeOne(queue, prompt(), "a ready job");
            expectCounts(stats, 1, 1, 1, 0, "after a take");

            first.ack();
            expectCounts(stats, 1, 1, 0, 0, "after the ack");

            Delivery second = takeOne(queue, prompt(), "the other ready job");
            second.release(Duration.ofHours(1));
            expectCounts(stats, 0, 2, 0, 0, "after a release with a delay");
        }

        @Test
        @DisplayName("count dead letters")
        void countsDeadLetters() throws Exception {
            JobQueue queue = queue(LONG_LEASE);
            assumeTrue(queue instanceof QueueStats, "the queue does not implement QueueStats");
            QueueStats stats = (QueueStats) queue;
            queue.put(SampleJobs.simple("count-dead"));

            takeOne(queue, prompt(), "the job").deadLetter("contract test: counted");

            expectCounts(stats, 0, 0, 0, 1, "after a dead letter");
        }

        /**
         * Checks the counts: at once for an exact queue; for an approximate one (SQS), until they
         * match or a deadline passes, and only their total and the dead letters (a queue without
         * per-message delays, like SQS FIFO, holds a job due later as a ready or hidden message).
         * A dead-letter count the queue reports as {@link QueueCounts#UNKNOWN} is not checked.
         */
        private void expectCounts(QueueStats stats, long ready, long delayed, long inFlight, long deadLetters,
                String when) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).plus(timingSlack()).toNanos();
            QueueCounts counts = stats.counts();
            while (counts.approximate() && !matches(counts, ready, delayed, inFlight, deadLetters)
                    && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                counts = stats.counts();
            }
            if (counts.approximate()) {
                assertThat(matches(counts, ready, delayed, inFlight, deadLetters))
                        .as("%s: approximate counts %s, expected a total of %d and %d dead letters",
                                when, counts, ready + delayed + inFlight, deadLetters)
                        .isTrue();
                return;
            }
            assertThat(counts.ready()).as("%s: ready", when).isEqualTo(ready);
            assertThat(counts.delayed()).as("%s: delayed", when).isEqualTo(delayed);
            assertThat(counts.inFlight()).as("%s: in flight", when).isEqualTo(inFlight);
            if (counts.deadLetters() != QueueCounts.UNKNOWN) {
                assertThat(counts.deadLetters()).as("%s: dead letters", when).isEqualTo(deadLetters);
            }
        }

        private boolean matches(QueueCounts counts, long ready, long delayed, long inFlight, long deadLetters) {
            return counts.total() == ready + delayed + inFlight
                    && (counts.deadLetters() == QueueCounts.UNKNOWN || counts.deadLetters() == deadLetters);
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /** Closing is safe. */
    @Nested
    @DisplayName("close")
    class Lifecycle {

        @Test
        @DisplayName("can be called more than once")
        void closeTwice() throws Exception {
            JobQueue queue = queue(LONG_LEASE);
            queue.put(SampleJobs.simple("close"));

            assertThatCode(() -> {
                queue.close();
                queue.close();
            }).doesNotThrowAnyException();
        }
    }
}
