package dev.ergate.testkit.contract;

import static dev.ergate.testkit.contract.SampleJobs.idOf;
import static dev.ergate.testkit.contract.SampleJobs.present;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.RuntimeFields;
import dev.ergate.spi.AtomicStepFinish;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.JobPage;
import dev.ergate.spi.JobQuery;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.StaleStateException;
import dev.ergate.spi.StepStart;
import dev.ergate.spi.UniqueJobs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link JobStore} must pass: update then find, last writer wins, complete
 * paged listing, cancel requests (a waiting job CANCELLED at once), concurrent writers, the
 * {@link dev.ergate.spi.WriteFence} on update, step start and (with {@link #atomicQueue}) the
 * atomic finish, {@code insert} and {@code replace}. An adapter's test extends it and gives a
 * new, empty store per test (closed after it when {@link AutoCloseable}). Not thread-safe: JUnit
 * runs one test of an instance at a time.
 *
 * <pre>{@code
 * class InMemoryJobStoreContractTest extends JobStoreContract {
 *     @Override
 *     protected JobStore newStore() {
 *         return InMemoryJobStore.create();
 *     }
 * }
 * }</pre>
 */
@DisplayName("JobStore contract")
public abstract class JobStoreContract {

    private static final JobCodec CODEC = JobCodec.standard();

    private final List<JobStore> opened = new ArrayList<>();
    private final List<JobQueue> queues = new ArrayList<>();

    /**
     * Creates the store under test.
     *
     * @return a new, empty store, isolated from every other test's; closed after the test if it
     *     is {@link AutoCloseable}
     * @throws Exception if the backend can't be set up
     */
    protected abstract JobStore newStore() throws Exception;

    /**
     * @return a new store that the suite closes after the test (when it is closeable)
     * @throws Exception if the backend can't be set up
     */
    protected final JobStore store() throws Exception {
        JobStore store = newStore();
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() throws Exception {
        Exception failure = null;
        for (JobQueue queue : queues) {
            try {
                queue.close();
            } catch (Exception e) {
                failure = e;
            }
        }
        queues.clear();
        for (JobStore store : opened) {
            if (store instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
        }
        opened.clear();
        if (failure != null) {
            throw failure;
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void assertSameJob(@Nullable Job actual, Job expected) {
        Job job = present(actual, "stored job " + expected.id());
        assertThat(CODEC.toTree(job)).as("the job's JSON").isEqualTo(CODEC.toTree(expected));
        assertThat(job).as("the job").isEqualTo(expected);
    }

    private static Job found(JobStore store, Job job) {
        return store.find(idOf(job)).orElseThrow(() -> new AssertionError("find(" + idOf(job) + ") is empty"));
    }

    /** Walks every page of the query; fails if a page is too big or a job shows up twice. */
    private static List<Job> walk(JobStore store, JobQuery query) {
        List<Job> all = new ArrayList<>();
        Set<JobId> seen = new HashSet<>();
        JobQuery next = query;
        for (int pages = 0; ; pages++) {
            assertThat(pages).as("pages walked (a cursor loop?)").isLessThan(10_000);
            JobPage page = store.list(next);
            assertThat(page.jobs()).as("page %d size", pages).hasSizeLessThanOrEqualTo(query.pageSize());
            for (Job job : page.jobs()) {
                assertThat(seen.add(job.id())).as("job %s listed twice", job.id()).isTrue();
                all.add(job);
            }
            if (page.nextCursor() == null) {
                return all;
            }
            next = next.after(page.nextCursor());
        }
    }

    private static Set<JobId> ids(List<Job> jobs) {
        Set<JobId> ids = new HashSet<>();
        jobs.forEach(job -> ids.add(job.id()));
        return ids;
    }

    /** {@return {@code job} with U+0000 in each of its JSON values, an object key and its trace} */
    static Job withNul(Job job) {
        return job.toBuilder()
                .initialInputValue(SampleJobs.JSON.objectNode().put("a\u0000b", "x\u0000y"))
                .userContext(SampleJobs.JSON.objectNode().put("user", "\u0000"))
                .lastReturnValue(SampleJobs.JSON.arrayNode().add("\u0000").add("$ergate:escaped"))
                .exceptionTraceback("trace\u0000\\0 line")
                .extraField("x-nul", SampleJobs.text("\u0000"))
                .extraField("x-look-alike", SampleJobs.JSON.objectNode().put("$ergate:escaped", "\\u0000"))
                .build();
    }

    // ---------------------------------------------------------------- find after update

    /** What is stored comes back whole. */
    // ---------------------------------------------------------------- unique keys

    /**
     * {@return true when the store is a {@link UniqueJobs}, which runs the "unique keys" tests;
     * false (the default) skips them. Turn it on when the adapter implements it}
     */
    protected boolean supportsUniqueKeys() {
        return false;
    }

    /**
     * {@return true when {@link UniqueJobs#recordUnique} keeps a key for its {@code holdFor}
     * after the job ended; false (the default) skips that test}
     */
    protected boolean supportsUniqueKeyHold() {
        return false;
    }

    /** {@link UniqueJobs}: one job per key while it is not final, atomically. */
    @Nested
    @DisplayName("unique keys")
    class UniqueKeys {

        private UniqueJobs uniqueStore(JobStore store) {
            assumeTrue(supportsUniqueKeys(), "the store declares no unique keys (supportsUniqueKeys())");
            assertThat(store).as("a store that supports unique keys").isInstanceOf(UniqueJobs.class);
            return (UniqueJobs) store;
        }

        private String newKey() {
            return "key-" + UUID.randomUUID();
        }

        @Test
        @DisplayName("refuses a second job under a key held by a job that is not final, naming the holder")
        void heldWhileNotFinal() throws Exception {
            JobStore store = store();
            UniqueJobs unique = uniqueStore(store);
            String key = newKey();
            Job first = SampleJobs.simple("unique-first");
            Job second = SampleJobs.simple("unique-second");

            assertThat(unique.recordUnique(first, key, Duration.ZERO)).as("first record").isEmpty();
            store.update(first.toBuilder().status(JobStatus.RUNNING).stepName("a").build());
            Optional<JobId> refused = unique.recordUnique(second, key, Duration.ZERO);

            assertThat(refused).as("second record's holder").contains(idOf(first));
            assertThat(store.find(idOf(second))).as("the refused job was not written").isEmpty();
            assertThat(found(store, first).status()).as("the holder's state, untouched").isEqualTo(JobStatus.RUNNING);
        }

        @Test
        @DisplayName("frees the key when its job is final")
        void freedWhenFinal() throws Exception {
            JobStore store = store();
            UniqueJobs unique = uniqueStore(store);
            String key = newKey();
            Job first = SampleJobs.simple("unique-done");
            Job second = SampleJobs.simple("unique-again");

            assertThat(unique.recordUnique(first, key, Duration.ZERO)).isEmpty();
            store.update(first.toBuilder().status(JobStatus.COMPLETED).stepsCompleted(1).build());

            assertThat(unique.recordUnique(second, key, Duration.ZERO)).as("record after the holder ended").isEmpty();
            assertSameJob(found(store, second), second);
            assertThat(unique.recordUnique(SampleJobs.simple("unique-third"), key, Duration.ZERO))
                    .as("the new holder").contains(idOf(second));
        }

        @Test
        @DisplayName("keeps different keys apart")
        void keysApart() throws Exception {
            JobStore store = store();
            UniqueJobs unique = uniqueStore(store);
            Job a = SampleJobs.simple("unique-a");
            Job b = SampleJobs.simple("unique-b");

            assertThat(unique.recordUnique(a, newKey(), Duration.ZERO)).isEmpty();
            assertThat(unique.recordUnique(b, newKey(), Duration.ZERO)).isEmpty();
            assertSameJob(found(store, a), a);
            assertSameJob(found(store, b), b);
        }

        @Test
        @DisplayName("keeps a key for its hold time after the job ended")
        void heldForTime() throws Exception {
            assumeTrue(supportsUniqueKeyHold(), "the store keeps no hold time (supportsUniqueKeyHold())");
            JobStore store = store();
            UniqueJobs unique = uniqueStore(store);
            String key = newKey();
            Job first = SampleJobs.simple("unique-held");

            assertThat(unique.recordUnique(first, key, Duration.ofHours(1))).isEmpty();
            store.update(first.toBuilder().status(JobStatus.COMPLETED).stepsCompleted(1).build());

            assertThat(unique.recordUnique(SampleJobs.simple("unique-later"), key, Duration.ZERO))
                    .as("record within the hour").contains(idOf(first));
        }

        @Test
        @DisplayName("lets exactly one of 8 concurrent records of one key in, the others get its id")
        void concurrentRecords() throws Exception {
            JobStore store = store();
            UniqueJobs unique = uniqueStore(store);
            String key = newKey();
            int writers = 8;
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Job> jobs = new ArrayList<>();
                List<Future<Optional<JobId>>> results = new ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    Job job = SampleJobs.simple("unique-race-" + i);
                    jobs.add(job);
                    results.add(pool.submit(() -> {
                        start.await();
                        return unique.recordUnique(job, key, Duration.ZERO);
                    }));
                }
                start.countDown();
                List<Job> winners = new ArrayList<>();
                List<JobId> holders = new ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    Optional<JobId> holder = results.get(i).get(30, TimeUnit.SECONDS);
                    if (holder.isEmpty()) {
                        winners.add(jobs.get(i));
                    } else {
                        holders.add(holder.get());
                    }
                }

                assertThat(winners).as("jobs recorded").hasSize(1);
                assertThat(holders).as("holders named to the others").hasSize(writers - 1)
                        .containsOnly(idOf(winners.get(0)));
                for (Job job : jobs) {
                    assertThat(store.find(idOf(job)).isPresent()).as("job %s stored", job.id())
                            .isEqualTo(job == winners.get(0));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Nested
    @DisplayName("update then find")
    class FindAfterUpdate {

        @Test
        @DisplayName("returns the job with every field as it was stored")
        void everyField() throws Exception {
            JobStore store = store();
            Job job = SampleJobs.everyField("store-every-field");

            store.update(job);

            assertSameJob(found(store, job), job);
        }

        @Test
        @DisplayName("keeps a numeric id numeric")
        void numericId() throws Exception {
            JobStore store = store();
            Job job = SampleJobs.numericId();

            store.update(job);

            Job found = found(store, job);
            assertThat(idOf(found).isNumeric()).as("id is a JSON integer").isTrue();
            assertSameJob(found, job);
        }

        @Test
        @DisplayName("keeps unicode text and fields Ergate does not know")
        void unicodeAndExtraFields() throws Exception {
            JobStore store = store();
            Job job = SampleJobs.simple("store-unicode").toBuilder()
                    .workflowName("заказ-处理-🚚")
                    .initialInputValue(SampleJobs.text(SampleJobs.UNICODE))
                    .extraField("current_step", SampleJobs.JSON.numberNode(1))
                    .extraField("x-note", SampleJobs.text(SampleJobs.UNICODE))
                    .build();

            store.update(job);

            Job found = found(store, job);
            assertThat(found.extraFields()).isEqualTo(job.extraFields());
            assertSameJob(found, job);
        }

        @Test
        @DisplayName("keeps U+0000 in JSON strings, object keys and the trace (valid JSON some databases refuse)")
        void nulCharacters() throws Exception {
            JobStore store = store();
            Job job = withNul(SampleJobs.simple("store-nul"));

            store.update(job);
            assertSameJob(found(store, job), job);

            Job running = job.toBuilder().status(JobStatus.RUNNING).stepName("b").build();
            assertThat(store.startStep(running)).isEqualTo(StepStart.STARTED);
            assertSameJob(found(store, job), running);
            assertThat(walk(store, JobQuery.builder().workflowName(job.workflowName()).build()))
                    .as("listed").containsExactly(running);
        }

        @Test
        @DisplayName("of an id never stored is empty")
        void unknown() throws Exception {
            JobStore store = store();
            store.update(SampleJobs.simple("other"));

            assertThat(store.find(SampleJobs.newId("never-stored"))).isEmpty();
        }
    }

    // ---------------------------------------------------------------- updates

    /** Updates replace the whole job, last writer wins, jobs don't interfere. */
    @Nested
    @DisplayName("updates")
    class Updates {

        @Test
        @DisplayName("replace every field: the last one wins")
        void lastWriterWins() throws Exception {
            JobStore store = store();
            Job first = SampleJobs.everyField("lww");
            Job second = first.toBuilder()
                    .status(JobStatus.QUEUED)
                    .stepName("step three")
                    .stepsCompleted(3)
                    .percentCompleted(75.0)
                    .lastReturnValue(SampleJobs.JSON.objectNode().put("after", 3))
                    .exceptionTraceback(null)
                    .requestedStartTime(null)
                    .extraField("x-trace", null)
                    .extraField("x-new", SampleJobs.text("added"))
                    .build();
            Job third = second.toBuilder().status(JobStatus.COMPLETED).stepsCompleted(4).percentCompleted(100).build();

            store.update(first);
            store.update(second);
            assertSameJob(found(store, first), second);
            store.update(third);

            assertSameJob(found(store, first), third);
        }

        @Test
        @DisplayName("of one job leave the others alone")
        void independent() throws Exception {
            JobStore store = store();
            Job a = SampleJobs.simple("a");
            Job b = SampleJobs.simple("b");
            store.update(a);
            store.update(b);

            Job a2 = a.toBuilder().status(JobStatus.COMPLETED).lastReturnValue(SampleJobs.text("done")).build();
            store.update(a2);

            assertSameJob(found(store, a), a2);
            assertSameJob(found(store, b), b);
        }

        @Test
        @DisplayName("of different jobs from many threads at once don't interfere")
        void concurrentDifferentJobs() throws Exception {
            JobStore store = store();
            int threads = 8;
            int jobsPerThread = 25;
            int versions = 4;
            List<List<Job>> lastVersions = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<List<Job>>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        List<Job> jobs = new ArrayList<>();
                        for (int j = 0; j < jobsPerThread; j++) {
                            jobs.add(SampleJobs.simple("t" + thread + "-j" + j));
                        }
                        start.await();
                        for (int v = 1; v <= versions; v++) {
                            for (int j = 0; j < jobs.size(); j++) {
                                Job next = jobs.get(j).toBuilder()
                                        .stepsCompleted(v)
                                        .lastReturnValue(SampleJobs.JSON.objectNode().put("thread", thread).put("v", v))
                                        .build();
                                store.update(next);
                                jobs.set(j, next);
                            }
                        }
                        return jobs;
                    }));
                }
                start.countDown();
                for (Future<List<Job>> future : futures) {
                    lastVersions.add(future.get(120, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }

            Set<JobId> written = new HashSet<>();
            for (List<Job> jobs : lastVersions) {
                for (Job job : jobs) {
                    assertSameJob(found(store, job), job);
                    written.add(job.id());
                }
            }
            List<Job> listed = walk(store, JobQuery.builder().pageSize(50).build());
            assertThat(ids(listed)).as("every job listed once").isEqualTo(written);
        }

        @Test
        @DisplayName("of one job from many threads at once leave exactly one of them, whole")
        void concurrentSameJob() throws Exception {
            JobStore store = store();
            Job base = SampleJobs.simple("contended");
            int writers = 8;
            List<Job> candidates = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                candidates.add(base.toBuilder()
                        .stepsCompleted(w)
                        .stepName("writer-" + w)
                        .lastReturnValue(SampleJobs.JSON.objectNode().put("writer", w))
                        .userContext(SampleJobs.JSON.objectNode().put("writer", w))
                        .build());
            }
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (Job candidate : candidates) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < 20; i++) {
                            try {
                                store.update(candidate);
                            } catch (StaleStateException fenced) {
                                // a store that fences (WriteFence) refuses the repeats and the lower writers
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> future : futures) {
                    future.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }

            Job found = found(store, base);
            assertThat(candidates).as("the stored job is one writer's, not a mix").contains(found);
        }
    }

    // ---------------------------------------------------------------- listing

    /** Paged listing by status and workflow is complete and never repeats a job. */
    @Nested
    @DisplayName("paged listing")
    class Listing {

        private final Map<JobId, Job> stored = new LinkedHashMap<>();

        private JobStore storeWithMix() throws Exception {
            JobStore store = store();
            JobStatus[] statuses = {JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.COMPLETED};
            for (int i = 0; i < 23; i++) {
                Job job = SampleJobs.of("mix-" + i, i % 2 == 0 ? "orders" : "refunds", statuses[i % 3]);
                store.update(job);
                stored.put(job.id(), job);
            }
            return store;
        }

        private Set<JobId> expected(Predicate<Job> filter) {
            Set<JobId> ids = new HashSet<>();
            stored.values().stream().filter(filter).forEach(job -> ids.add(job.id()));
            return ids;
        }

        @Test
        @DisplayName("of an empty store is one empty page without a cursor")
        void empty() throws Exception {
            JobStore store = store();

            JobPage page = store.list(JobQuery.builder().build());

            assertThat(page.jobs()).isEmpty();
            assertThat(page.nextCursor()).isNull();
        }

        @Test
        @DisplayName("by status returns every matching job exactly once across pages")
        void byStatus() throws Exception {
            JobStore store = storeWithMix();

            List<Job> listed = walk(store, JobQuery.builder().status(JobStatus.RUNNING).pageSize(3).build());

            assertThat(ids(listed)).isEqualTo(expected(job -> job.status() == JobStatus.RUNNING));
            assertThat(listed).allSatisfy(job -> assertSameJob(job, present(stored.get(idOf(job)), "the job put as " + job.id())));
        }

        @Test
        @DisplayName("by workflow returns every matching job exactly once across pages")
        void byWorkflow() throws Exception {
            JobStore store = storeWithMix();

            List<Job> listed = walk(store, JobQuery.builder().workflowName("refunds").pageSize(4).build());

            assertThat(ids(listed)).isEqualTo(expected(job -> job.workflowName().equals("refunds")));
        }

        @Test
        @DisplayName("by status and workflow together returns the jobs matching both")
        void byBoth() throws Exception {
            JobStore store = storeWithMix();

            List<Job> listed = walk(store, JobQuery.builder()
                    .status(JobStatus.COMPLETED).workflowName("orders").pageSize(2).build());

            assertThat(ids(listed)).isEqualTo(expected(job ->
                    job.status() == JobStatus.COMPLETED && job.workflowName().equals("orders")));
        }

        @Test
        @DisplayName("without filters returns every job, also one per page")
        void everything() throws Exception {
            JobStore store = storeWithMix();

            assertThat(ids(walk(store, JobQuery.builder().pageSize(1).build()))).isEqualTo(stored.keySet());
            assertThat(ids(walk(store, JobQuery.builder().pageSize(JobQuery.MAX_PAGE_SIZE).build())))
                    .isEqualTo(stored.keySet());
        }

        @Test
        @DisplayName("by status follows status changes")
        void followsStatus() throws Exception {
            JobStore store = storeWithMix();
            Job moved = stored.values().stream().filter(job -> job.status() == JobStatus.QUEUED)
                    .findFirst().orElseThrow();
            Job completed = moved.toBuilder().status(JobStatus.COMPLETED).build();
            store.update(completed);
            stored.put(completed.id(), completed);

            assertThat(ids(walk(store, JobQuery.builder().status(JobStatus.QUEUED).build())))
                    .doesNotContain(moved.id())
                    .isEqualTo(expected(job -> job.status() == JobStatus.QUEUED));
            assertThat(ids(walk(store, JobQuery.builder().status(JobStatus.COMPLETED).build())))
                    .contains(moved.id())
                    .isEqualTo(expected(job -> job.status() == JobStatus.COMPLETED));
        }

        @Test
        @DisplayName("while jobs are written never returns a job twice and misses no untouched job")
        void stableWhileWriting() throws Exception {
            JobStore store = storeWithMix();
            Set<JobId> original = new HashSet<>(stored.keySet());
            Set<JobId> seen = new HashSet<>();
            JobQuery query = JobQuery.builder().pageSize(4).build();
            int round = 0;
            while (true) {
                JobPage page = store.list(query);
                for (Job job : page.jobs()) {
                    assertThat(seen.add(job.id())).as("job %s listed twice", job.id()).isTrue();
                }
                // change a job already listed, and add a new one, between pages
                if (!page.jobs().isEmpty()) {
                    Job listed = page.jobs().get(0);
                    store.update(listed.toBuilder().stepsCompleted(listed.stepsCompleted() + 1).build());
                }
                store.update(SampleJobs.of("added-" + round++, "orders", JobStatus.QUEUED));
                if (page.nextCursor() == null) {
                    break;
                }
                assertThat(round).as("pages walked (a cursor loop?)").isLessThan(1000);
                query = query.after(page.nextCursor());
            }

            assertThat(seen).as("every job stored before the walk").containsAll(original);
        }
    }

    // ---------------------------------------------------------------- cancellation

    /** Cancel requests mark CANCELLING, and no later non-final update loses them. */
    @Nested
    @DisplayName("a cancel request")
    class Cancellation {

        @Test
        @DisplayName("marks a job that is not final CANCELLING, changing nothing else")
        void marksCancelling() throws Exception {
            JobStore store = store();
            Job job = SampleJobs.everyField("cancel");
            store.update(job);

            assertThat(store.requestCancel(idOf(job))).isTrue();

            assertSameJob(found(store, job), job.toBuilder().status(JobStatus.CANCELLING).build());
        }

        @Test
        @DisplayName("may be made twice")
        void twice() throws Exception {
            JobStore store = store();
            Job job = SampleJobs.simple("cancel-twice");
            store.update(job);

            assertThat(store.requestCancel(idOf(job))).isTrue();
            assertThat(store.requestCancel(idOf(job))).isTrue();

            assertThat(found(store, job).status()).isEqualTo(JobStatus.CANCELLING);
        }

        @Test
        @DisplayName("for an unknown job is refused and stores nothing")
        void unknown() throws Exception {
            JobStore store = store();
            JobId id = SampleJobs.newId("cancel-unknown");

            assertThat(store.requestCancel(id)).isFalse();

            assertThat(store.find(id)).isEmpty();
        }

        @Test
        @DisplayName("for a finished job is refused and changes nothing")
        void finalJob() throws Exception {
            JobStore store = store();
            for (JobStatus status : JobStatus.values()) {
                if (!status.isFinal()) {
                    continue;
                }
                Job job = SampleJobs.of("cancel-final", "contract", status);
                store.update(job);

                assertThat(store.requestCancel(idOf(job))).as("cancel of a %s job", status).isFalse();
                assertSameJob(found(store, job), job);
            }
        }

        @Test
        @DisplayName("survives a later update that is not final, which changes the other fields")
        void keptByNonFinalUpdate() throws Exception {
            JobStore store = store();
            Job job = SampleJobs.simple("cancel-kept");
            store.update(job);
            store.requestCancel(idOf(job));

            Job stepDone = job.toBuilder().status(JobStatus.QUEUED).stepsCompleted(1).percentCompleted(50)
                    .lastReturnValue(SampleJobs.text("step one")).build();
            store.update(stepDone);

            assertSameJob(found(store, job), stepDone.toBuilder().status(JobStatus.CANCELLING).build());
            assertThat(ids(walk(store, JobQuery.builder().status(JobStatus.CANCELLING).build())))
                    .containsExactly(job.id());
        }

        @Test
        @DisplayName("is replaced by a final update")
        void replacedByFinal() throws Exception {
            JobStore store = store();
            Job job = SampleJobs.simple("cancel-final-update");
            store.update(job);
            store.requestCancel(idOf(job));

            Job cancelled = job.toBuilder().status(JobStatus.CANCELLED).build();
            store.update(cancelled);

            assertSameJob(found(store, job), cancelled);
        }
    }

    @Nested
    @DisplayName("starting a step")
    class StartingAStep {

        private Job runningOf(Job job) {
            return job.toBuilder().status(JobStatus.RUNNING).stepName("second").build();
        }

        @Test
        @DisplayName("writes the RUNNING state over a job that is not final")
        void started() throws Exception {
            JobStore store = store();
            Job job = SampleJobs.everyField("start");
            store.update(job.toBuilder().status(JobStatus.QUEUED).build());
            Job running = runningOf(job);

            assertThat(store.startStep(running)).isEqualTo(StepStart.STARTED);

            assertSameJob(found(store, job), running);
        }

        @Test
        @DisplayName("writes the RUNNING state of a job the store has never seen")
        void unknownJob() throws Exception {
            JobStore store = store();
            Job running = runningOf(SampleJobs.simple("start-unknown"));

            assertThat(store.startStep(running)).isEqualTo(StepStart.STARTED);

            assertSameJob(found(store, running), running);
            assertThat(ids(walk(store, JobQuery.builder().status(JobStatus.RUNNING).build())))
                    .containsExactly(running.id());
        }

        @Test
        @DisplayName("reports a cancel request and writes nothing")
        void cancelRequested() throws Exception {
            JobStore store = store();
            Job job = SampleJobs.simple("start-cancelling");
            store.update(job);
            store.requestCancel(idOf(job));
            Job cancelling = found(store, job);

            assertThat(store.startStep(runningOf(job))).isEqualTo(StepStart.CANCEL_REQUESTED);

            assertSameJob(found(store, job), cancelling);
        }

        @Test
        @DisplayName("never replaces a final state (a late worker after another finished the job)")
        void finalStateKept() throws Exception {
            JobStore store = store();
            for (JobStatus status : JobStatus.values()) {
                if (!status.isFinal()) {
                    continue;
                }
                Job finished = SampleJobs.of("start-final", "contract", status);
                store.update(finished);

                StepStart expected = status == JobStatus.CANCELLED ? StepStart.CANCEL_REQUESTED : StepStart.ALREADY_FINAL;
                assertThat(store.startStep(runningOf(finished))).as("start over a %s job", status).isEqualTo(expected);

                assertSameJob(found(store, finished), finished);
                assertThat(ids(walk(store, JobQuery.builder().status(JobStatus.RUNNING).build())))
                        .as("RUNNING jobs after a start over a %s job", status).doesNotContain(finished.id());
            }
        }

        @Test
        @DisplayName("races a finish: the job ends final whichever lands first")
        void raceWithFinish() throws Exception {
            JobStore store = store();
            int rounds = 50;
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int round = 0; round < rounds; round++) {
                    Job job = SampleJobs.simple("start-race-" + round);
                    store.update(job);
                    Job completed = job.toBuilder().status(JobStatus.COMPLETED).stepsCompleted(1).build();
                    // (the RUNNING state keeps 0 steps completed: it is the step before the finish)
                    CountDownLatch go = new CountDownLatch(1);
                    Future<StepStart> late = pool.submit(() -> {
                        go.await();
                        return store.startStep(runningOf(job));
                    });
                    Future<?> finish = pool.submit(() -> {
                        go.await();
                        store.update(completed);
                        return null;
                    });
                    go.countDown();
                    StepStart start = late.get(30, TimeUnit.SECONDS);
                    finish.get(30, TimeUnit.SECONDS);

                    Job stored = found(store, job);
                    if (start == StepStart.ALREADY_FINAL) {
                        assertSameJob(stored, completed);
                    } else {
                        // the start landed first and the finish replaced it; never the other way round
                        assertThat(start).isEqualTo(StepStart.STARTED);
                        assertSameJob(stored, completed);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    // ---------------------------------------------------------------- the write fence, cancel of a waiting job, insert and replace

    /**
     * A queue whose {@link JobQueue#atomicStepFinish} works with {@code store}, for the fenced
     * finish; the default has none (that case is then not run).
     *
     * @param store a store from {@link #newStore()}
     * @param leaseTime the lease length
     * @return a new, empty queue (closed after the test), or null when the backend has no atomic finish
     * @throws Exception if the backend can't be set up
     */
    protected @Nullable JobQueue atomicQueue(JobStore store, Duration leaseTime) throws Exception {
        return null;
    }

    private static Job at(Job job, JobStatus status, int steps, int attempt) {
        return job.toBuilder().status(status).stepsCompleted(steps)
                .extraField(RuntimeFields.ATTEMPT, attempt == 1 ? null : IntNode.valueOf(attempt)).build();
    }

    private static void assertRefused(JobStore store, Job stored, Job stale) {
        assertThatThrownBy(() -> store.update(stale)).as("%s (%d steps) over %s (%d steps)", stale.status(),
                stale.stepsCompleted(), stored.status(), stored.stepsCompleted())
                .isInstanceOf(StaleStateException.class);
        assertThat(found(store, stored)).as("the stored job after a refused write").isEqualTo(stored);
    }

    /** Writes that move a job forward pass; stale ones are refused and change nothing. */
    @Nested
    @DisplayName("the write fence: an update")
    class FencedUpdates {

        @Test
        @DisplayName("moves a job forward through its steps, retries and end")
        void forward() throws Exception {
            JobStore store = store();
            Job job = SampleJobs.simple("fence-forward");
            List<Job> path = List.of(
                    at(job, JobStatus.QUEUED, 0, 1), at(job, JobStatus.RUNNING, 0, 1),
                    at(job, JobStatus.RUNNING, 0, 1), at(job, JobStatus.PENDING, 1, 1),
                    at(job, JobStatus.QUEUED, 1, 1), at(job, JobStatus.RUNNING, 1, 1),
                    at(job, JobStatus.QUEUED, 1, 2), at(job, JobStatus.RUNNING, 1, 2),
                    at(job, JobStatus.COMPLETED, 2, 1));
            for (Job state : path) {
                store.update(state);
                assertThat(found(store, job)).isEqualTo(state);
            }
        }

        @Test
        @DisplayName("that is not final over a final job is refused")
        void notFinalOverFinal() throws Exception {
            JobStore store = store();
            for (JobStatus end : List.of(JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.ABORTED, JobStatus.CANCELLED)) {
                Job stored = at(SampleJobs.simple("fence-final"), end, 1, 1);
                store.update(stored);
                for (JobStatus status : List.of(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.PENDING)) {
                    assertRefused(store, stored, at(stored, status, 3, 1));
                }
            }
        }

        @Test
        @DisplayName("with fewer steps completed, or an earlier attempt, is refused")
        void older() throws Exception {
            JobStore store = store();
            Job stored = at(SampleJobs.simple("fence-older"), JobStatus.QUEUED, 2, 2);
            store.update(stored);

            assertRefused(store, stored, at(stored, JobStatus.QUEUED, 1, 5));
            assertRefused(store, stored, at(stored, JobStatus.RUNNING, 1, 1));
            assertRefused(store, stored, at(stored, JobStatus.RUNNING, 2, 1));
            assertRefused(store, stored, at(stored, JobStatus.FAILED, 2, 1));
        }

        @Test
        @DisplayName("at the same progress must move on: QUEUED over RUNNING, or twice the same waiting or final state, is refused")
        void sameProgress() throws Exception {
            JobStore store = store();
            Job running = at(SampleJobs.simple("fence-same-running"), JobStatus.RUNNING, 1, 1);
            store.update(running);
            assertRefused(store, running, at(running, JobStatus.QUEUED, 1, 1));
            assertRefused(store, running, at(running, JobStatus.PENDING, 1, 1));

            Job queued = at(SampleJobs.simple("fence-same-queued"), JobStatus.QUEUED, 1, 1);
            store.update(queued);
            assertRefused(store, queued, queued.toBuilder().lastReturnValue(SampleJobs.text("the other chain")).build());

            Job pending = at(SampleJobs.simple("fence-same-pending"), JobStatus.PENDING, 1, 1);
            store.update(pending);
            assertRefused(store, pending, pending.toBuilder().lastReturnValue(SampleJobs.text("the other chain")).build());

            Job completed = at(SampleJobs.simple("fence-same-final"), JobStatus.COMPLETED, 2, 1);
            store.update(completed);
            assertRefused(store, completed, at(completed, JobStatus.FAILED, 2, 1));
        }

        @Test
        @DisplayName("of two chains racing to finish one step: exactly one is written")
        void racingFinishes() throws Exception {
            JobStore store = store();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int round = 0; round < 30; round++) {
                    Job running = at(SampleJobs.simple("fence-race-" + round), JobStatus.RUNNING, 0, 1);
                    store.update(running);
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<Boolean>> writes = new ArrayList<>();
                    for (String chain : List.of("a", "b")) {
                        Job next = at(running, JobStatus.QUEUED, 1, 1).toBuilder()
                                .lastReturnValue(SampleJobs.text(chain)).build();
                        writes.add(pool.submit(() -> {
                            go.await();
                            try {
                                store.update(next);
                                return true;
                            } catch (StaleStateException refused) {
                                return false;
                            }
                        }));
                    }
                    go.countDown();
                    int written = 0;
                    for (Future<Boolean> write : writes) {
                        written += write.get(30, TimeUnit.SECONDS) ? 1 : 0;
                    }
                    assertThat(written).as("writes that won, round %d", round).isEqualTo(1);
                }
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        @DisplayName("over CANCELLING keeps it, and is fenced like any other")
        void overCancelling() throws Exception {
            JobStore store = store();
            Job job = at(SampleJobs.simple("fence-cancelling"), JobStatus.RUNNING, 0, 1);
            store.update(job);
            assertThat(store.requestCancel(idOf(job))).isTrue();

            Job next = at(job, JobStatus.QUEUED, 1, 1);
            store.update(next);
            Job cancelling = next.toBuilder().status(JobStatus.CANCELLING).build();
            assertThat(found(store, job)).isEqualTo(cancelling);

            assertRefused(store, cancelling, next.toBuilder().lastReturnValue(SampleJobs.text("the other chain")).build());
            Job cancelled = next.toBuilder().status(JobStatus.CANCELLED).build();
            store.update(cancelled);
            assertThat(found(store, job)).isEqualTo(cancelled);
        }
    }

    /** startStep is fenced too: a delivery behind the stored job is stale. */
    @Nested
    @DisplayName("the write fence: starting a step")
    class FencedStart {

        @Test
        @DisplayName("of a delivery behind the stored job answers STALE and writes nothing")
        void stale() throws Exception {
            JobStore store = store();
            Job stored = at(SampleJobs.simple("fence-start-stale"), JobStatus.QUEUED, 2, 1);
            store.update(stored);

            assertThat(store.startStep(at(stored, JobStatus.RUNNING, 1, 1))).isEqualTo(StepStart.STALE);
            assertThat(found(store, stored)).isEqualTo(stored);
            Job retried = at(stored, JobStatus.QUEUED, 2, 2);
            store.update(retried);
            assertThat(store.startStep(at(stored, JobStatus.RUNNING, 2, 1))).isEqualTo(StepStart.STALE);
            assertThat(found(store, stored)).isEqualTo(retried);
        }

        @Test
        @DisplayName("again over its own RUNNING state (a delivery after a lost lease) starts it")
        void again() throws Exception {
            JobStore store = store();
            Job running = at(SampleJobs.simple("fence-start-again"), JobStatus.RUNNING, 1, 1);
            store.update(running);
            Job again = running.toBuilder().stepName("again").build();

            assertThat(store.startStep(again)).isEqualTo(StepStart.STARTED);
            assertThat(found(store, running)).isEqualTo(again);
        }
    }

    /** A cancel request of a job that waits for its time, with no message on a queue. */
    @Nested
    @DisplayName("a cancel request of a waiting job")
    class CancelWaiting {

        @Test
        @DisplayName("of a SCHEDULED or PENDING job makes it CANCELLED at once")
        void waiting() throws Exception {
            JobStore store = store();
            for (JobStatus status : List.of(JobStatus.SCHEDULED, JobStatus.PENDING)) {
                Job job = at(SampleJobs.simple("fence-cancel-" + status), status, 1, 1);
                store.update(job);

                assertThat(store.requestCancel(idOf(job))).isTrue();

                assertThat(found(store, job)).isEqualTo(job.toBuilder().status(JobStatus.CANCELLED).build());
                assertThat(store.requestCancel(idOf(job))).as("a second request, now final").isFalse();
            }
        }

        @Test
        @DisplayName("of a QUEUED job makes it CANCELLING (a worker ends it)")
        void queued() throws Exception {
            JobStore store = store();
            Job job = SampleJobs.simple("fence-cancel-queued");
            store.update(job);

            assertThat(store.requestCancel(idOf(job))).isTrue();

            assertThat(found(store, job).status()).isEqualTo(JobStatus.CANCELLING);
        }
    }

    /** insert and replace, for the client's submit. */
    @Nested
    @DisplayName("insert and replace")
    class InsertReplace {

        @Test
        @DisplayName("insert writes a new job and refuses one whose id is stored")
        void insert() throws Exception {
            JobStore store = store();
            Job job = SampleJobs.simple("fence-insert");

            assertThat(store.insert(job)).isTrue();
            assertThat(found(store, job)).isEqualTo(job);
            Job other = job.toBuilder().workflowName("another").build();
            assertThat(store.insert(other)).isFalse();
            assertThat(found(store, job)).isEqualTo(job);
        }

        @Test
        @DisplayName("replace writes over a final or CANCELLING job, with no fence")
        void replace() throws Exception {
            JobStore store = store();
            Job completed = at(SampleJobs.simple("fence-replace"), JobStatus.COMPLETED, 3, 1);
            store.update(completed);
            Job again = at(completed, JobStatus.QUEUED, 0, 1);

            store.replace(again);
            assertThat(found(store, completed)).isEqualTo(again);

            store.requestCancel(idOf(again));
            store.replace(again);
            assertThat(found(store, completed)).isEqualTo(again);
        }
    }

    /** The atomic finish of a queue that offers one with this store. */
    @Nested
    @DisplayName("the write fence: an atomic step finish")
    class FencedAtomicFinish {

        @Test
        @DisplayName("of a stale state is refused: nothing written, nothing put")
        void stale() throws Exception {
            JobStore store = store();
            JobQueue maybeQueue = atomicQueue(store, Duration.ofSeconds(30));
            Assumptions.assumeTrue(maybeQueue != null, "this backend has no atomic step finish");
            JobQueue queue = Objects.requireNonNull(maybeQueue);
            queues.add(queue);
            AtomicStepFinish finish = queue.atomicStepFinish(store).orElseThrow(
                    () -> new AssertionError("atomicQueue gave a queue with no atomic finish for the store"));
            Job job = at(SampleJobs.simple("fence-atomic"), JobStatus.QUEUED, 0, 1);
            store.update(job);
            queue.put(job);
            Delivery delivery = queue.take(Duration.ofSeconds(5)).orElseThrow(() -> new AssertionError("nothing taken"));
            Job running = at(job, JobStatus.RUNNING, 0, 1);
            store.update(running);
            Job otherChain = at(job, JobStatus.QUEUED, 1, 1).toBuilder().lastReturnValue(SampleJobs.text("won")).build();
            store.update(otherChain);
            Job stale = at(job, JobStatus.QUEUED, 1, 1).toBuilder().lastReturnValue(SampleJobs.text("lost")).build();

            assertThatThrownBy(() -> finish.finish(delivery, stale, stale)).isInstanceOf(StaleStateException.class);

            assertThat(found(store, job)).isEqualTo(otherChain);
            delivery.ack();
            Optional<Delivery> more = queue.take(Duration.ofMillis(500));
            assertThat(more).as("a message put by the refused finish").isEmpty();
        }
    }
}
