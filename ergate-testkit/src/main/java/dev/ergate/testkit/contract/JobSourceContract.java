package dev.ergate.testkit.contract;

import static dev.ergate.testkit.contract.SampleJobs.idOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.JobSource;
import dev.ergate.spi.JobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link JobSource} (the publisher's driver) must pass: it hands out due
 * SCHEDULED and PENDING jobs only, oldest due first, each to one claimer at a time, until it is
 * reported or its claim times out; {@code published} records QUEUED only over the state it
 * claimed. An adapter's test gives a new, empty store and sources over it. Not thread-safe.
 */
@DisplayName("JobSource contract")
public abstract class JobSourceContract {

    /** The claim timeout of the stores the suite asks for. */
    protected static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(2);

    private final List<Object> opened = new ArrayList<>();

    /**
     * Creates the store under test.
     *
     * @param claimTimeout how long an unreported claim hides a job
     * @return a new, empty store, isolated from other tests'; closed after the test if it is
     *     {@link AutoCloseable}
     * @throws Exception if the backend can't be set up
     */
    protected abstract JobStore newStore(Duration claimTimeout) throws Exception;

    /**
     * @param store a store from {@link #newStore}
     * @return a source over that store; each call a distinct claimer (another publisher), where
     *     the backend has claimer identities
     * @throws Exception if the backend can't be set up
     */
    protected abstract JobSource newSource(JobStore store) throws Exception;

    private JobStore store() throws Exception {
        JobStore store = newStore(CLAIM_TIMEOUT);
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (Object o : opened) {
            if (o instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
        opened.clear();
    }

    private static Job waiting(String label, JobStatus status, Instant start) {
        return SampleJobs.simple(label).toBuilder().status(status).requestedStartTime(start).build();
    }

    private static List<JobId> ids(List<Job> jobs) {
        return jobs.stream().map(SampleJobs::idOf).toList();
    }

    /** Claims until {@code id} is handed out or the deadline passes (a claim timeout runs out in real time). */
    private static boolean claimedWithin(JobSource source, JobId id, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        while (System.nanoTime() < deadline) {
            if (ids(source.claimDue(Instant.now(), 100)).contains(id)) {
                return true;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        return false;
    }

    @Nested
    @DisplayName("claimDue")
    class Claiming {

        @Test
        @DisplayName("hands out due SCHEDULED and PENDING jobs, oldest due first, and nothing else")
        void dueOnly() throws Exception {
            JobStore store = store();
            JobSource source = newSource(store);
            Instant now = Instant.now();
            Job pendingNow = SampleJobs.simple("pending").toBuilder().status(JobStatus.PENDING).build();
            Job scheduledPast = waiting("scheduled-past", JobStatus.SCHEDULED, now.minusSeconds(60));
            Job pendingPast = waiting("pending-past", JobStatus.PENDING, now.minusSeconds(30));
            Job future = waiting("future", JobStatus.SCHEDULED, now.plusSeconds(3600));
            Job queued = SampleJobs.simple("queued");
            Job running = SampleJobs.simple("running").toBuilder().status(JobStatus.RUNNING).stepName("a").build();
            Job done = SampleJobs.simple("done").toBuilder().status(JobStatus.COMPLETED).build();
            for (Job job : List.of(pendingNow, scheduledPast, pendingPast, future, queued, running, done)) {
                store.update(job);
            }

            List<Job> claimed = source.claimDue(now, 10);

            // a job without a start time is due since it was written, or always: either may come first
            assertThat(ids(claimed)).as("claimed").containsExactlyInAnyOrder(idOf(pendingNow), idOf(scheduledPast),
                    idOf(pendingPast));
            assertThat(ids(claimed).indexOf(idOf(scheduledPast))).as("the older start time first")
                    .isLessThan(ids(claimed).indexOf(idOf(pendingPast)));
            assertThat(claimed).as("the claimed jobs as the store reads them")
                    .contains(store.find(idOf(scheduledPast)).orElseThrow());
        }

        @Test
        @DisplayName("hands out at most max jobs")
        void atMostMax() throws Exception {
            JobStore store = store();
            JobSource source = newSource(store);
            for (int i = 0; i < 5; i++) {
                store.update(SampleJobs.simple("max-" + i).toBuilder().status(JobStatus.PENDING).build());
            }

            assertThat(source.claimDue(Instant.now(), 3)).hasSize(3);
            assertThat(source.claimDue(Instant.now(), 3)).as("the rest").hasSize(2);
            assertThat(source.claimDue(Instant.now(), 3)).as("all claimed").isEmpty();
        }

        @Test
        @DisplayName("hides a claimed job from every claimer until its claim times out")
        void claimHidesUntilTimeout() throws Exception {
            JobStore store = store();
            JobSource one = newSource(store);
            JobSource two = newSource(store);
            Job job = SampleJobs.simple("claimed").toBuilder().status(JobStatus.PENDING).build();
            store.update(job);

            assertThat(ids(one.claimDue(Instant.now(), 10))).containsExactly(idOf(job));
            assertThat(one.claimDue(Instant.now(), 10)).as("again, same claimer").isEmpty();
            assertThat(two.claimDue(Instant.now(), 10)).as("another claimer").isEmpty();

            assertThat(claimedWithin(two, idOf(job), CLAIM_TIMEOUT.multipliedBy(5)))
                    .as("offered again after the claim timed out (a crashed publisher)").isTrue();
        }

        @Test
        @DisplayName("gives each of many due jobs to exactly one of two concurrent claimers")
        void concurrentClaimersNeverShare() throws Exception {
            JobStore store = store();
            JobSource one = newSource(store);
            JobSource two = newSource(store);
            int jobs = 60;
            for (int i = 0; i < jobs; i++) {
                store.update(SampleJobs.simple("race-" + i).toBuilder().status(JobStatus.PENDING).build());
            }
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<List<JobId>>> results = new ArrayList<>();
                for (JobSource source : List.of(one, two)) {
                    results.add(pool.submit(() -> {
                        start.await();
                        List<JobId> mine = new ArrayList<>();
                        for (int pass = 0; pass < 40; pass++) {
                            mine.addAll(ids(source.claimDue(Instant.now(), 7)));
                        }
                        return mine;
                    }));
                }
                start.countDown();
                List<JobId> all = new ArrayList<>(results.get(0).get(60, TimeUnit.SECONDS));
                all.addAll(results.get(1).get(60, TimeUnit.SECONDS));

                Set<JobId> distinct = new HashSet<>(all);
                assertThat(all).as("claims, each job once").hasSize(distinct.size());
                assertThat(distinct).as("every due job claimed").hasSize(jobs);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Nested
    @DisplayName("reporting back")
    class Reporting {

        @Test
        @DisplayName("published records QUEUED and the job is not offered again")
        void publishedRecordsQueued() throws Exception {
            JobStore store = store();
            JobSource source = newSource(store);
            Job job = SampleJobs.simple("published").toBuilder().status(JobStatus.PENDING).build();
            store.update(job);
            Job claimed = source.claimDue(Instant.now(), 1).get(0);

            source.published(claimed.toBuilder().status(JobStatus.QUEUED).build());

            assertThat(store.find(idOf(job)).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
            assertThat(source.claimDue(Instant.now(), 10)).isEmpty();
        }

        @Test
        @DisplayName("published does not overwrite a newer state a worker wrote meanwhile")
        void publishedKeepsNewerState() throws Exception {
            JobStore store = store();
            JobSource source = newSource(store);
            Job job = SampleJobs.simple("raced").toBuilder().status(JobStatus.PENDING).build();
            store.update(job);
            Job claimed = source.claimDue(Instant.now(), 1).get(0);
            Job queued = claimed.toBuilder().status(JobStatus.QUEUED).build();
            // the worker took the job off the queue and finished its step before the publisher reported
            Job running = queued.toBuilder().status(JobStatus.RUNNING).stepName("a").build();
            store.update(running);
            Job next = running.toBuilder().status(JobStatus.PENDING).stepName(null).stepsCompleted(1).build();
            store.update(next);

            source.published(queued);

            assertThat(store.find(idOf(job)).orElseThrow()).as("the worker's state").isEqualTo(next);
            assertThat(ids(source.claimDue(Instant.now(), 10))).as("the next step's PENDING, due")
                    .containsExactly(idOf(job));
        }

        @Test
        @DisplayName("publishFailed hands the job back at once")
        void publishFailedOffersAgain() throws Exception {
            JobStore store = store();
            JobSource source = newSource(store);
            Job job = SampleJobs.simple("failed-put").toBuilder().status(JobStatus.PENDING).build();
            store.update(job);
            Job claimed = source.claimDue(Instant.now(), 1).get(0);

            source.publishFailed(claimed, new IllegalStateException("queue down"));

            assertThat(ids(source.claimDue(Instant.now(), 10))).containsExactly(idOf(job));
            assertThat(store.find(idOf(job)).orElseThrow().status()).isEqualTo(JobStatus.PENDING);
        }
    }
}
