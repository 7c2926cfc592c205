package dev.ergate.testkit.contract;

import static dev.ergate.testkit.contract.SampleJobs.idOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.CursorPage;
import dev.ergate.spi.DeadLetter;
import dev.ergate.spi.DeadLetterFilter;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobAdmin.Operation;
import dev.ergate.spi.JobCounts;
import dev.ergate.spi.JobEvent;
import dev.ergate.spi.JobFilter;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobRepairs;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.RequeueResult;
import dev.ergate.spi.RetryOutcome;
import dev.ergate.spi.StoredJob;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link JobAdmin} must pass: what it declares in {@link JobAdmin#operations()}
 * works, and what it leaves out throws {@link UnsupportedOperationException}. An adapter's test
 * extends it, supplies a fresh, isolated {@link Backend} per test ({@link Backend#of}) and the
 * operations its admin must offer. Not thread-safe: JUnit runs one test of an instance at a time.
 */
@DisplayName("JobAdmin contract")
public abstract class JobAdminContract {

    /** How long a take waits for a job the admin put back. */
    private static final Duration TAKE = Duration.ofSeconds(10);

    /** What the suite drives: the admin under test and the store and queue it manages. */
    public interface Backend extends AutoCloseable {
        /** {@return the admin under test} */
        JobAdmin admin();

        /** {@return the store the admin reads and repairs} */
        JobStore store();

        /** {@return the queue retried and requeued jobs go to, whose dead letters the admin manages} */
        JobQueue queue();

        /**
         * Puts text on {@link #queue()} as a foreign producer would, without decoding it.
         *
         * @param text the raw message
         * @throws Exception if the backend fails
         */
        void putRaw(String text) throws Exception;

        /** Releases the backend's resources and test data. */
        @Override
        default void close() throws Exception {
        }

        /**
         * @param admin the admin under test
         * @param store the store it manages
         * @param queue the queue it manages
         * @param putRaw puts raw text on {@code queue}
         * @param close releases the backend
         * @return them as a backend
         */
        static Backend of(JobAdmin admin, JobStore store, JobQueue queue, RawPut putRaw, AutoCloseable close) {
            return new Backend() {
                @Override
                public JobAdmin admin() {
                    return admin;
                }

                @Override
                public JobStore store() {
                    return store;
                }

                @Override
                public JobQueue queue() {
                    return queue;
                }

                @Override
                public void putRaw(String text) throws Exception {
                    putRaw.put(text);
                }

                @Override
                public void close() throws Exception {
                    close.close();
                }
            };
        }
    }

    /** Puts raw text on a queue, as {@link Backend#putRaw} does. */
    @FunctionalInterface
    public interface RawPut {
        /**
         * @param text the raw message
         * @throws Exception if the backend fails
         */
        void put(String text) throws Exception;
    }

    /** {@return a fresh, empty backend, isolated from every other test's; closed after the test} */
    protected abstract Backend newBackend() throws Exception;

    /** {@return the operations this adapter's admin is expected to declare} */
    protected abstract Set<Operation> expectedOperations();

    private Backend backend;
    private JobAdmin admin;

    @BeforeEach
    void openBackend() throws Exception {
        backend = newBackend();
        admin = backend.admin();
    }

    @AfterEach
    void closeBackend() throws Exception {
        if (backend != null) {
            backend.close();
        }
    }

    private boolean supports(Operation operation) {
        return admin.supports(operation);
    }

    private Job stored(Job job) {
        backend.store().update(job);
        return job;
    }

    private static Job job(String id, String workflow, JobStatus status) {
        return Job.builder().id(id).workflowName(workflow).status(status)
                .initialInputValue(SampleJobs.JSON.objectNode().put("id", id)).build();
    }

    private static String unique(String label) {
        return label + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    private <T> List<T> walk(Function<String, CursorPage<T>> pageAfter) {
        List<T> all = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 1000; pages++) {
            CursorPage<T> page = pageAfter.apply(cursor);
            all.addAll(page.items());
            cursor = page.nextCursor();
            if (cursor == null) {
                return all;
            }
        }
        throw new AssertionError("more than 1000 pages: the cursor does not move on");
    }

    private List<String> ids(JobFilter filter) {
        return walk(cursor -> admin.listJobs(filter.after(cursor))).stream()
                .map(stored -> idOf(stored.job()).value()).toList();
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 10 s waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** Waits until the clock has moved past {@code instant}, so two writes get distinct times. */
    private static void passTime(Instant instant) {
        awaitTrue("the clock to pass " + instant, () -> Instant.now().isAfter(instant.plusMillis(20)));
    }

    private Delivery takeJob(JobId id) throws InterruptedException {
        long deadline = System.nanoTime() + TAKE.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Delivery> delivery = backend.queue().take(Duration.ofSeconds(1));
            if (delivery.isPresent()) {
                if (id.equals(delivery.get().job().id())) {
                    return delivery.get();
                }
                delivery.get().ack();
            }
        }
        throw new AssertionError("job " + id + " did not come back on the queue within " + TAKE);
    }

    @Test
    @DisplayName("declares the operations the adapter offers")
    void declaresItsOperations() {
        assertThat(admin.operations()).containsExactlyInAnyOrderElementsOf(expectedOperations());
        for (Operation operation : Operation.values()) {
            assertThat(admin.supports(operation)).as(operation.name()).isEqualTo(expectedOperations().contains(operation));
        }
    }

    @Test
    @DisplayName("an operation it does not offer throws UnsupportedOperationException, naming it")
    void unsupportedOperationsThrow() {
        JobId id = JobId.of("x");
        Instant now = Instant.now();
        for (Operation operation : Operation.values()) {
            if (admin.supports(operation)) {
                continue;
            }
            Runnable call = switch (operation) {
                case COUNT_JOBS -> admin::countJobs;
                case LIST_JOBS -> () -> admin.listJobs(JobFilter.builder().build());
                case JOB_HISTORY -> () -> admin.history(id);
                case CANCEL_JOB -> () -> admin.cancelJob(id);
                case RETRY_JOB -> () -> admin.retryJob(id);
                case DELETE_JOB -> () -> admin.deleteJob(id);
                case PURGE_JOBS -> () -> admin.purgeJobs(now);
                case LIST_DEAD_LETTERS -> () -> admin.listDeadLetters(DeadLetterFilter.all());
                case REQUEUE_DEAD_LETTERS -> () -> admin.requeueDeadLetters(DeadLetterFilter.all());
                case PURGE_DEAD_LETTERS -> () -> admin.purgeDeadLetters(now);
                case RETENTION_LEASE -> () -> admin.tryRetentionLease("me", Duration.ofSeconds(1));
            };
            assertThatThrownBy(call::run).as(operation.name())
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining(operation.name());
        }
    }

    @Nested
    @DisplayName("jobs")
    class Jobs {

        @Test
        @DisplayName("counts jobs by workflow and status")
        void counts() {
            if (!supports(Operation.COUNT_JOBS)) {
                return;
            }
            stored(job(unique("a"), "orders", JobStatus.QUEUED));
            stored(job(unique("b"), "orders", JobStatus.QUEUED));
            stored(job(unique("c"), "orders", JobStatus.FAILED));
            stored(job(unique("d"), "invoices", JobStatus.COMPLETED));
            JobCounts counts = admin.countJobs();
            assertThat(counts.count("orders", JobStatus.QUEUED)).isEqualTo(2);
            assertThat(counts.count("orders", JobStatus.FAILED)).isEqualTo(1);
            assertThat(counts.count("invoices", JobStatus.COMPLETED)).isEqualTo(1);
            assertThat(counts.count("invoices", JobStatus.QUEUED)).isZero();
            assertThat(counts.byStatus()).containsEntry(JobStatus.QUEUED, 2L).containsEntry(JobStatus.FAILED, 1L);
            assertThat(counts.total()).isEqualTo(4);

            stored(job(unique("e"), "invoices", JobStatus.QUEUED));
            assertThat(admin.countJobs().count("invoices", JobStatus.QUEUED)).as("counts follow writes").isEqualTo(1);
        }

        @Test
        @DisplayName("lists jobs by status, workflow and id prefix, every one once across pages")
        void listsWithFilters() {
            if (!supports(Operation.LIST_JOBS)) {
                return;
            }
            String prefix = unique("p");
            Set<String> queuedOrders = new HashSet<>();
            for (int i = 0; i < 7; i++) {
                queuedOrders.add(idOf(stored(job(prefix + "-order-" + i, "orders", JobStatus.QUEUED))).value());
            }
            String failed = idOf(stored(job(prefix + "-order-f", "orders", JobStatus.FAILED))).value();
            String invoice = idOf(stored(job(prefix + "-invoice", "invoices", JobStatus.QUEUED))).value();

            assertThat(ids(JobFilter.builder().pageSize(3).build()))
                    .doesNotHaveDuplicates().hasSize(9).containsAll(queuedOrders).contains(failed, invoice);
            assertThat(ids(JobFilter.builder().status(JobStatus.QUEUED).workflowName("orders").pageSize(2).build()))
                    .containsExactlyInAnyOrderElementsOf(queuedOrders);
            assertThat(ids(JobFilter.builder().status(JobStatus.FAILED).build())).containsExactly(failed);
            assertThat(ids(JobFilter.builder().workflowName("invoices").build())).containsExactly(invoice);
            assertThat(ids(JobFilter.builder().idPrefix(prefix + "-order-").pageSize(4).build()))
                    .hasSize(8).doesNotContain(invoice);
            assertThat(ids(JobFilter.builder().idPrefix(prefix + "-inv").build())).containsExactly(invoice);
            assertThat(ids(JobFilter.builder().workflowName("nothing-here").build())).isEmpty();
            assertThat(admin.listJobs(JobFilter.builder().pageSize(9).build()).nextCursor())
                    .as("a page that holds the rest is the last").isNull();
        }

        @Test
        @DisplayName("filters by the time a job was last written")
        void listsByUpdateTime() {
            if (!supports(Operation.LIST_JOBS)) {
                return;
            }
            String older = idOf(stored(job(unique("older"), "timed", JobStatus.QUEUED))).value();
            passTime(Instant.now());
            Instant between = Instant.now();
            passTime(between);
            String newer = idOf(stored(job(unique("newer"), "timed", JobStatus.QUEUED))).value();

            assertThat(ids(JobFilter.builder().updatedBefore(between).build())).containsExactly(older);
            assertThat(ids(JobFilter.builder().updatedAfter(between).build())).containsExactly(newer);
            assertThat(ids(JobFilter.builder().updatedAfter(between).updatedBefore(Instant.now().plusSeconds(60))
                    .build())).containsExactly(newer);
        }

        @Test
        @DisplayName("finds a job with the time it was written; an unknown id is empty")
        void findsAJob() {
            if (!supports(Operation.LIST_JOBS)) {
                return;
            }
            Instant before = Instant.now().minusSeconds(60);
            Job job = stored(job(unique("find"), "orders", JobStatus.RUNNING));
            StoredJob found = admin.findJob(idOf(job)).orElseThrow();
            assertThat(found.job().id()).isEqualTo(job.id());
            assertThat(found.job().status()).isEqualTo(JobStatus.RUNNING);
            assertThat(found.updatedAt()).isNotNull().isAfter(before).isBefore(Instant.now().plusSeconds(60));
            assertThat(admin.findJob(JobId.of(unique("missing")))).isEmpty();
        }

        @Test
        @DisplayName("keeps a job's history, oldest first, where the store records one")
        void history() {
            if (!supports(Operation.JOB_HISTORY)) {
                return;
            }
            Job job = stored(job(unique("hist"), "orders", JobStatus.QUEUED));
            stored(job.toBuilder().status(JobStatus.RUNNING).stepName("first").build());
            stored(job.toBuilder().status(JobStatus.COMPLETED).stepsCompleted(1).percentCompleted(100).build());
            List<JobEvent> history = admin.history(idOf(job));
            assertThat(history).extracting(JobEvent::status)
                    .containsExactly(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.COMPLETED);
            assertThat(history.get(1).stepName()).isEqualTo("first");
            assertThat(history.get(2).stepsCompleted()).isEqualTo(1);
            assertThat(admin.history(JobId.of(unique("missing")))).isEmpty();
        }
    }

    @Nested
    @DisplayName("repair")
    class Repair {

        @Test
        @DisplayName("cancel makes a live job CANCELLING; a final or unknown one is refused")
        void cancel() {
            if (!supports(Operation.CANCEL_JOB)) {
                return;
            }
            Job live = stored(job(unique("live"), "orders", JobStatus.QUEUED));
            Job done = stored(job(unique("done"), "orders", JobStatus.COMPLETED));
            assertThat(admin.cancelJob(idOf(live))).isTrue();
            assertThat(backend.store().find(idOf(live)).orElseThrow().status()).isEqualTo(JobStatus.CANCELLING);
            assertThat(admin.cancelJob(idOf(done))).isFalse();
            assertThat(backend.store().find(idOf(done)).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(admin.cancelJob(JobId.of(unique("missing")))).isFalse();
        }

        @Test
        @DisplayName("retry of a FAILED job resets its attempt, queues it from the step it ended at")
        void retryFailed() throws Exception {
            if (!supports(Operation.RETRY_JOB)) {
                return;
            }
            Job failed = stored(job(unique("failed"), "orders", JobStatus.FAILED).toBuilder()
                    .stepsCompleted(2).percentCompleted(50)
                    .exceptionTraceback("java.lang.IllegalStateException: boom")
                    .extraField("current_step", IntNode.valueOf(2))
                    .extraField(JobRepairs.ATTEMPT_FIELD, IntNode.valueOf(3))
                    .build());

            assertThat(admin.retryJob(idOf(failed))).isEqualTo(RetryOutcome.RETRIED);

            Job stored = backend.store().find(idOf(failed)).orElseThrow();
            assertThat(stored.status()).isEqualTo(JobStatus.QUEUED);
            assertThat(stored.exceptionTraceback()).isNull();
            assertThat(stored.extraField(JobRepairs.ATTEMPT_FIELD)).isNull();
            assertThat(stored.extraField("current_step")).isEqualTo(IntNode.valueOf(2));
            assertThat(stored.stepsCompleted()).isEqualTo(2);

            Delivery delivery = takeJob(idOf(failed));
            assertThat(delivery.job().status()).isEqualTo(JobStatus.QUEUED);
            assertThat(delivery.job().extraField("current_step")).isEqualTo(IntNode.valueOf(2));
            assertThat(delivery.job().extraField(JobRepairs.ATTEMPT_FIELD)).isNull();
            delivery.ack();

            if (supports(Operation.JOB_HISTORY)) {
                assertThat(admin.history(idOf(failed))).extracting(JobEvent::status)
                        .containsSubsequence(JobStatus.FAILED, JobStatus.QUEUED);
            }
        }

        @Test
        @DisplayName("retry takes ABORTED and CANCELLED jobs too, and refuses live, completed and unknown ones")
        void retryOthers() throws Exception {
            if (!supports(Operation.RETRY_JOB)) {
                return;
            }
            Job aborted = stored(job(unique("aborted"), "orders", JobStatus.ABORTED));
            Job cancelled = stored(job(unique("cancelled"), "orders", JobStatus.CANCELLED));
            Job completed = stored(job(unique("completed"), "orders", JobStatus.COMPLETED));
            Job running = stored(job(unique("running"), "orders", JobStatus.RUNNING));

            assertThat(admin.retryJob(idOf(aborted))).isEqualTo(RetryOutcome.RETRIED);
            takeJob(idOf(aborted)).ack();
            assertThat(admin.retryJob(idOf(cancelled))).isEqualTo(RetryOutcome.RETRIED);
            takeJob(idOf(cancelled)).ack();
            assertThat(admin.retryJob(idOf(completed))).isEqualTo(RetryOutcome.NOT_RETRYABLE);
            assertThat(admin.retryJob(idOf(running))).isEqualTo(RetryOutcome.NOT_RETRYABLE);
            assertThat(admin.retryJob(JobId.of(unique("missing")))).isEqualTo(RetryOutcome.NOT_FOUND);
            assertThat(backend.store().find(idOf(completed)).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(backend.store().find(idOf(running)).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
            assertThat(admin.retryJob(idOf(aborted))).as("a retried job is QUEUED: no second retry")
                    .isEqualTo(RetryOutcome.NOT_RETRYABLE);
        }

        @Test
        @DisplayName("delete removes a job; an unknown id deletes nothing")
        void delete() {
            if (!supports(Operation.DELETE_JOB)) {
                return;
            }
            Job doomed = stored(job(unique("doomed"), "orders", JobStatus.FAILED));
            Job kept = stored(job(unique("kept"), "orders", JobStatus.FAILED));
            assertThat(admin.deleteJob(idOf(doomed))).isTrue();
            assertThat(backend.store().find(idOf(doomed))).isEmpty();
            assertThat(backend.store().find(idOf(kept))).isPresent();
            assertThat(admin.deleteJob(idOf(doomed))).isFalse();
            if (supports(Operation.COUNT_JOBS)) {
                assertThat(admin.countJobs().count("orders", JobStatus.FAILED)).isEqualTo(1);
            }
            if (supports(Operation.JOB_HISTORY)) {
                assertThat(admin.history(idOf(doomed))).isEmpty();
            }
        }

        @Test
        @DisplayName("purge deletes final jobs written before the cutoff and keeps live ones")
        void purge() {
            if (!supports(Operation.PURGE_JOBS)) {
                return;
            }
            Instant start = Instant.now().minusSeconds(60);
            List<Job> finals = List.of(
                    stored(job(unique("completed"), "orders", JobStatus.COMPLETED)),
                    stored(job(unique("failed"), "orders", JobStatus.FAILED)),
                    stored(job(unique("aborted"), "orders", JobStatus.ABORTED)),
                    stored(job(unique("cancelled"), "orders", JobStatus.CANCELLED)));
            List<Job> live = List.of(
                    stored(job(unique("queued"), "orders", JobStatus.QUEUED)),
                    stored(job(unique("running"), "orders", JobStatus.RUNNING)),
                    stored(job(unique("cancelling"), "orders", JobStatus.CANCELLING)));

            assertThat(admin.purgeJobs(start)).as("nothing is older than the test").isZero();
            assertThat(admin.purgeJobs(Instant.now().plusSeconds(60))).isEqualTo(4);
            finals.forEach(job -> assertThat(backend.store().find(idOf(job))).as(job.status().name()).isEmpty());
            live.forEach(job -> assertThat(backend.store().find(idOf(job))).as(job.status().name()).isPresent());
        }
    }

    @Nested
    @DisplayName("dead letters")
    class DeadLetters {

        private Job deadLetteredJob(String reason) throws Exception {
            Job job = stored(job(unique("dead"), "orders", JobStatus.QUEUED));
            backend.queue().put(job);
            Delivery delivery = takeJob(idOf(job));
            backend.store().update(job.toBuilder().status(JobStatus.FAILED).exceptionTraceback(reason).build());
            delivery.deadLetter(reason);
            return job;
        }

        private void deadLetteredText(String text) throws Exception {
            backend.putRaw(text);
            assertThat(backend.queue().take(Duration.ofSeconds(1))).as("a message that is not a job is not handed out")
                    .isEmpty();
        }

        private List<DeadLetter> all() {
            return walk(cursor -> admin.listDeadLetters(DeadLetterFilter.builder().pageSize(2).build().after(cursor)));
        }

        @Test
        @DisplayName("lists dead letters with reason, time, source queue, raw body and job id, across pages")
        void lists() throws Exception {
            if (!supports(Operation.LIST_DEAD_LETTERS)) {
                return;
            }
            Instant before = Instant.now().minusSeconds(60);
            Job job = deadLetteredJob("delivered too often");
            deadLetteredText("{not json");
            deadLetteredText("[1, 2]");
            awaitTrue("three dead letters", () -> all().size() == 3);

            List<DeadLetter> all = all();
            assertThat(all).extracting(DeadLetter::id).doesNotHaveDuplicates();
            DeadLetter ofJob = all.stream().filter(d -> idOf(job).value().equals(d.jobId())).findFirst().orElseThrow();
            assertThat(ofJob.reason()).contains("delivered too often");
            assertThat(ofJob.body()).contains(idOf(job).value()).contains("orders");
            assertThat(ofJob.at()).isAfter(before).isBefore(Instant.now().plusSeconds(60));
            assertThat(ofJob.sourceQueue()).isNotBlank();
            DeadLetter garbage = all.stream().filter(d -> d.body().equals("{not json")).findFirst().orElseThrow();
            assertThat(garbage.jobId()).isNull();
            assertThat(garbage.reason()).isNotBlank();
            assertThat(garbage.sourceQueue()).isEqualTo(ofJob.sourceQueue());

            assertThat(walk(cursor -> admin.listDeadLetters(DeadLetterFilter.builder().jobId(idOf(job).value()).build()
                    .after(cursor)))).extracting(DeadLetter::id).containsExactly(ofJob.id());
            assertThat(walk(cursor -> admin.listDeadLetters(DeadLetterFilter.builder().sourceQueue("no-such-queue")
                    .build().after(cursor)))).isEmpty();
            assertThat(walk(cursor -> admin.listDeadLetters(DeadLetterFilter.builder().before(before).build()
                    .after(cursor)))).isEmpty();
        }

        @Test
        @DisplayName("requeue puts a job's body back on its queue and the job runs again; text that is no job stays")
        void requeueAll() throws Exception {
            if (!supports(Operation.REQUEUE_DEAD_LETTERS)) {
                return;
            }
            Job job = deadLetteredJob("delivered too often");
            deadLetteredText("{not json");

            RequeueResult result = admin.requeueDeadLetters(DeadLetterFilter.all());
            assertThat(result.requeued()).hasSize(1);
            assertThat(result.kept()).hasSize(1);
            assertThat(result.kept().get(0).reason()).containsIgnoringCase("not a job");

            Delivery delivery = takeJob(idOf(job));
            assertThat(delivery.job().workflowName()).isEqualTo("orders");
            delivery.ack();
            assertThat(backend.store().find(idOf(job)).orElseThrow().status())
                    .as("the FAILED state is set back so a worker runs it").isEqualTo(JobStatus.QUEUED);

            if (supports(Operation.LIST_DEAD_LETTERS)) {
                List<DeadLetter> left = all();
                assertThat(left).extracting(DeadLetter::body).containsExactly("{not json");
                assertThat(left.get(0).id()).isEqualTo(result.kept().get(0).id());
            }
            RequeueResult again = admin.requeueDeadLetter(result.kept().get(0).id());
            assertThat(again.requeued()).isEmpty();
            assertThat(again.kept()).extracting(RequeueResult.Kept::id).containsExactly(result.kept().get(0).id());
        }

        @Test
        @DisplayName("requeue of one dead letter leaves the others; an unknown id does nothing")
        void requeueOne() throws Exception {
            if (!supports(Operation.REQUEUE_DEAD_LETTERS) || !supports(Operation.LIST_DEAD_LETTERS)) {
                return;
            }
            Job first = deadLetteredJob("first");
            Job second = deadLetteredJob("second");
            DeadLetter ofFirst = all().stream().filter(d -> idOf(first).value().equals(d.jobId())).findFirst()
                    .orElseThrow();

            RequeueResult result = admin.requeueDeadLetter(ofFirst.id());
            assertThat(result.requeued()).containsExactly(ofFirst.id());
            takeJob(idOf(first)).ack();
            assertThat(all()).extracting(DeadLetter::jobId).containsExactly(idOf(second).value());
            RequeueResult none = admin.requeueDeadLetter(ofFirst.id());
            assertThat(none.requeued()).isEmpty();
            assertThat(none.kept()).isEmpty();
        }

        @Test
        @DisplayName("purge deletes dead letters given up on before the cutoff")
        void purge() throws Exception {
            if (!supports(Operation.PURGE_DEAD_LETTERS)) {
                return;
            }
            Instant start = Instant.now().minusSeconds(60);
            deadLetteredJob("one");
            deadLetteredText("{not json");
            if (supports(Operation.LIST_DEAD_LETTERS)) {
                awaitTrue("two dead letters", () -> all().size() == 2);
            }
            assertThat(admin.purgeDeadLetters(start)).as("nothing is older than the test").isZero();
            assertThat(admin.purgeDeadLetters(Instant.now().plusSeconds(60))).isEqualTo(2);
            if (supports(Operation.LIST_DEAD_LETTERS)) {
                assertThat(all()).isEmpty();
            }
            if (supports(Operation.REQUEUE_DEAD_LETTERS)) {
                RequeueResult nothing = admin.requeueDeadLetters(DeadLetterFilter.all());
                assertThat(nothing.requeued()).isEmpty();
                assertThat(nothing.kept()).isEmpty();
            }
        }
    }

    @Nested
    @DisplayName("retention lease")
    class RetentionLease {

        @Test
        @DisplayName("one owner at a time: the holder renews it, another gets it once it runs out")
        void oneOwnerAtATime() {
            if (!supports(Operation.RETENTION_LEASE)) {
                return;
            }
            String a = unique("worker-a");
            String b = unique("worker-b");
            Duration lease = Duration.ofMillis(500);
            assertThat(admin.tryRetentionLease(a, lease)).isTrue();
            assertThat(admin.tryRetentionLease(b, lease)).isFalse();
            assertThat(admin.tryRetentionLease(a, lease)).as("the holder renews").isTrue();
            awaitTrue("the lease to pass to b", () -> admin.tryRetentionLease(b, Duration.ofSeconds(30)));
            assertThat(admin.tryRetentionLease(a, lease)).isFalse();
        }
    }
}
