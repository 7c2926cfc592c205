package dev.ergate.testkit.contract;

import static dev.ergate.testkit.contract.SampleJobs.idOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.JobStatus;
import dev.ergate.RuntimeFields;
import dev.ergate.spi.AtomicStepFinish;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.StaleStateException;
import dev.ergate.spi.StepStart;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The store rules that keep a job from forking or moving back ({@link dev.ergate.spi.WriteFence}),
 * cancelling a waiting job, {@code insert} and {@code replace}. An adapter's test extends it as
 * it does {@link JobStoreContract}; {@link #atomicQueue} adds the fenced atomic finish.
 */
@DisplayName("JobStore fence contract")
public abstract class JobStoreFenceContract {

    private final List<AutoCloseable> opened = new ArrayList<>();

    /**
     * @return a new, empty store (closed after the test if it is {@link AutoCloseable})
     * @throws Exception if the backend can't be set up
     */
    protected abstract JobStore newStore() throws Exception;

    /**
     * A queue whose {@link JobQueue#atomicStepFinish} works with {@code store}, for the fenced
     * finish; the default has none (the case is then not run).
     *
     * @param store a store from {@link #newStore()}
     * @param leaseTime the lease length
     * @return a new, empty queue, or null when the backend has no atomic finish
     * @throws Exception if the backend can't be set up
     */
    protected @Nullable JobQueue atomicQueue(JobStore store, Duration leaseTime) throws Exception {
        return null;
    }

    private JobStore store() throws Exception {
        JobStore store = newStore();
        if (store instanceof AutoCloseable closeable) {
            opened.add(closeable);
        }
        return store;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
        opened.clear();
    }

    private static Job at(Job job, JobStatus status, int steps, int attempt) {
        return job.toBuilder().status(status).stepsCompleted(steps)
                .extraField(RuntimeFields.ATTEMPT, attempt == 1 ? null : IntNode.valueOf(attempt)).build();
    }

    private static Job found(JobStore store, Job job) {
        return store.find(idOf(job)).orElseThrow(() -> new AssertionError("find(" + idOf(job) + ") is empty"));
    }

    private static void assertRefused(JobStore store, Job stored, Job stale) {
        assertThatThrownBy(() -> store.update(stale)).as("%s (%d steps) over %s (%d steps)", stale.status(),
                stale.stepsCompleted(), stored.status(), stored.stepsCompleted())
                .isInstanceOf(StaleStateException.class);
        assertThat(found(store, stored)).as("the stored job after a refused write").isEqualTo(stored);
    }

    /** Writes that move a job forward pass; stale ones are refused and change nothing. */
    @Nested
    @DisplayName("an update")
    class Updates {

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
    @DisplayName("starting a step")
    class Starting {

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
    @DisplayName("a cancel request")
    class Cancel {

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
    @DisplayName("an atomic step finish")
    class AtomicFinish {

        @Test
        @DisplayName("of a stale state is refused: nothing written, nothing put")
        void stale() throws Exception {
            JobStore store = store();
            JobQueue maybeQueue = atomicQueue(store, Duration.ofSeconds(30));
            Assumptions.assumeTrue(maybeQueue != null, "this backend has no atomic step finish");
            JobQueue queue = java.util.Objects.requireNonNull(maybeQueue);
            opened.add(queue);
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
