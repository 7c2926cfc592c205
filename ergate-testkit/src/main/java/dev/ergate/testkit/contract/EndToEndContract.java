package dev.ergate.testkit.contract;

import static dev.ergate.testkit.contract.SampleJobs.idOf;
import static dev.ergate.testkit.contract.SampleJobs.present;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.AbortJob;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateListener;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.StepResult;
import dev.ergate.runtime.Workflow;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.StateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A real {@link Ergate} worker over a queue and a store: jobs complete with the right result,
 * none is lost, a dead worker's job is finished by another, failures and aborts are recorded, a
 * cancel request stops a job. A queue-only backend gives an {@code InMemoryJobStore}; a queue's
 * atomic finish is used when it offers one. Not thread-safe (one test of an instance at a time).
 *
 * <pre>{@code
 * class InMemoryEndToEndTest extends EndToEndContract {
 *     @Override
 *     protected JobQueue newQueue(Duration leaseTime) {
 *         return InMemoryJobQueue.builder().leaseTime(leaseTime).build();
 *     }
 *
 *     @Override
 *     protected StateStore newStore() {
 *         return InMemoryJobStore.create();
 *     }
 * }
 * }</pre>
 */
@DisplayName("End-to-end contract")
public abstract class EndToEndContract {

    private static final Duration LONG_LEASE = Duration.ofSeconds(60);
    private static final Duration SHORT_LEASE = Duration.ofSeconds(2);

    private final List<AutoCloseable> opened = new ArrayList<>();

    /**
     * @param leaseTime how long a taken job stays leased before it is delivered again
     * @return a new, empty queue, isolated from every other test's; closed after the test
     * @throws Exception if the backend can't be set up
     */
    protected abstract JobQueue newQueue(Duration leaseTime) throws Exception;

    /**
     * @return a new, empty state store, isolated from every other test's (queue-only backends
     *     return an {@code InMemoryJobStore}); closed after the test if it is {@link AutoCloseable}
     * @throws Exception if the backend can't be set up
     */
    protected abstract StateStore newStore() throws Exception;

    /** {@return how many worker threads run steps at once; 4 by default} */
    protected int workerThreads() {
        return 4;
    }

    /** {@return how many jobs the main test runs; 200 by default} */
    protected int jobCount() {
        return 200;
    }

    /** {@return how long all jobs of one test may take to end; 2 minutes by default} */
    protected Duration timeout() {
        return Duration.ofMinutes(2);
    }

    @AfterEach
    void closeAll() throws Exception {
        Exception failure = null;
        List<AutoCloseable> reversed = new ArrayList<>(opened);
        Collections.reverse(reversed);
        for (AutoCloseable closeable : reversed) {
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
        opened.clear();
        if (failure != null) {
            throw failure;
        }
    }

    // ---------------------------------------------------------------- the harness

    /** A queue, a store and a worker over them, closed after the test (worker first). */
    private final class Setup {
        final JobQueue queue;
        final StateStore store;
        final Tracker tracker = new Tracker();
        final Ergate worker;

        Setup(Duration leaseTime, Workflow... workflows) throws Exception {
            queue = newQueue(leaseTime);
            opened.add(queue);
            store = newStore();
            if (store instanceof AutoCloseable closeable) {
                opened.add(closeable);
            }
            ErgateOptions options = ErgateOptions.builder()
                    .concurrency(workerThreads())
                    .pollTimeout(Duration.ofSeconds(1))
                    .drainTimeout(Duration.ofSeconds(30))
                    .handleSignals(false)
                    .build();
            worker = Ergate.builder(queue, store).options(options).listener(tracker).build();
            for (Workflow workflow : workflows) {
                worker.registerWorkflow(workflow);
            }
            opened.add(worker);
        }

        /** Starts the worker and waits until {@code count} jobs have ended; then stops it, so every write is done. */
        void runUntilEnded(int count) throws InterruptedException {
            tracker.expect(count);
            worker.start();
            boolean allEnded = tracker.awaitEnded(timeout());
            worker.close();
            assertThat(allEnded).as("all %d jobs ended within %s (ended: %d)", count, timeout(), tracker.ended.size())
                    .isTrue();
        }
    }

    /** Hears the worker: which steps started, and each job's first final state. */
    private static final class Tracker implements ErgateListener {
        final Map<JobId, List<String>> started = new ConcurrentHashMap<>();
        final Map<JobId, Job> ended = new ConcurrentHashMap<>();
        private volatile CountDownLatch remaining = new CountDownLatch(0);

        void expect(int count) {
            remaining = new CountDownLatch(count);
        }

        boolean awaitEnded(Duration timeout) throws InterruptedException {
            return remaining.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void stepStarted(Job running) {
            started.computeIfAbsent(running.id(), id -> Collections.synchronizedList(new ArrayList<>()))
                    .add(running.stepName());
        }

        @Override
        public void stepFinished(StepResult result) {
            result.state().filter(state -> state.status().isFinal()).ifPresent(state -> {
                if (ended.putIfAbsent(state.id(), state) == null) {
                    remaining.countDown();
                }
            });
        }

        List<String> stepsOf(JobId id) {
            List<String> steps = started.get(id);
            return steps == null ? List.of() : List.copyOf(steps);
        }
    }

    /** parse {"n": i} -> i; square -> i*i; label (with user context {"tag": t}) -> t + "=" + i*i. */
    private static Workflow threeSteps() {
        return Workflow.builder("e2e-three-steps")
                .step("parse", JsonNode.class, (in, ctx) -> Objects.requireNonNull(in, "step input").get("n").intValue())
                .step("square", Integer.class, (n, ctx) -> {
                    int i = Objects.requireNonNull(n, "step input");
                    return i * i;
                })
                .step("label", Integer.class, (n, ctx) ->
                        Objects.requireNonNull(ctx.userContext(JsonNode.class), "user context").get("tag").textValue() + "=" + n)
                .build();
    }

    private static Job threeStepJob(int i) {
        return Job.builder()
                .id(SampleJobs.newId("e2e-" + i))
                .workflowName("e2e-three-steps")
                .initialInputValue(SampleJobs.JSON.objectNode().put("n", i))
                .userContext(SampleJobs.JSON.objectNode().put("tag", "job-" + i))
                .build();
    }

    private static void assertCompleted(Job state, int i) {
        assertThat(state.status()).as("status of job %s", state.id()).isEqualTo(JobStatus.COMPLETED);
        assertThat(state.lastReturnValue().textValue()).as("result of job %s", state.id())
                .isEqualTo("job-" + i + "=" + (i * i));
        assertThat(state.stepsCompleted()).isEqualTo(3);
        assertThat(state.percentCompleted()).isEqualTo(100.0);
    }

    // ---------------------------------------------------------------- the tests

    /** Many jobs, many threads: every job ends, right. */
    @Nested
    @DisplayName("a worker with several threads")
    class ManyJobs {

        @Test
        @DisplayName("runs every job of a 3-step workflow to COMPLETED with the right result, losing none")
        void everyJobCompletes() throws Exception {
            Setup setup = new Setup(LONG_LEASE, threeSteps());
            int count = jobCount();
            List<Job> jobs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Job job = threeStepJob(i);
                jobs.add(job);
                setup.queue.put(job);
            }

            setup.runUntilEnded(count);

            for (int i = 0; i < count; i++) {
                JobId id = idOf(jobs.get(i));
                Job ended = present(setup.tracker.ended.get(id), "the end of job " + id);
                assertCompleted(ended, i);
                assertThat(setup.tracker.stepsOf(id)).as("steps run for job %s", id)
                        .containsExactly("parse", "square", "label");
                if (setup.store instanceof JobStore jobStore) {
                    Job stored = present(jobStore.find(id).orElse(null), "the stored state of job " + id);
                    assertCompleted(stored, i);
                }
            }
            assertThat(setup.tracker.ended).hasSize(count);
            assertThat(setup.queue.take(Duration.ofSeconds(1))).as("a job left on the queue").isEmpty();
        }
    }

    /** At-least-once: a crash loses nothing. */
    @Nested
    @DisplayName("a job whose worker died")
    class Crash {

        @Test
        @DisplayName("is delivered again after its lease and run to the end by another worker")
        void redeliveredAndCompleted() throws Exception {
            Setup setup = new Setup(SHORT_LEASE, threeSteps());
            Job job = threeStepJob(7);
            setup.queue.put(job);
            assertThat(setup.queue.take(Duration.ofSeconds(5)))
                    .as("the job, taken by a worker that then dies without acking").isPresent();

            setup.runUntilEnded(1);

            assertCompleted(present(setup.tracker.ended.get(idOf(job)), "the end of the job"), 7);
            assertThat(setup.tracker.stepsOf(idOf(job))).containsExactly("parse", "square", "label");
        }
    }

    /** Failures and aborts end jobs, with the reason kept, and are not run again. */
    @Nested
    @DisplayName("a step that fails or aborts")
    class Outcomes {

        @Test
        @DisplayName("ends its job FAILED or ABORTED with the reason recorded, running the step once")
        void recorded() throws Exception {
            AtomicInteger runs = new AtomicInteger();
            Workflow workflow = Workflow.builder("e2e-outcomes")
                    .step("decide", String.class, (in, ctx) -> {
                        runs.incrementAndGet();
                        switch (Objects.requireNonNull(in, "step input")) {
                            case "fail" -> throw new IllegalStateException("planned failure of " + ctx.job().id());
                            case "abort" -> throw new AbortJob("planned abort");
                            default -> {
                                return in;
                            }
                        }
                    })
                    .step("finish", String.class, (in, ctx) -> in + "!")
                    .build();
            Setup setup = new Setup(LONG_LEASE, workflow);
            Map<JobId, String> kinds = new ConcurrentHashMap<>();
            String[] choices = {"ok", "fail", "abort"};
            for (int i = 0; i < 30; i++) {
                String kind = choices[i % 3];
                Job job = Job.builder().id(SampleJobs.newId("outcome-" + kind)).workflowName("e2e-outcomes")
                        .initialInputValue(SampleJobs.text(kind)).build();
                kinds.put(job.id(), kind);
                setup.queue.put(job);
            }

            setup.runUntilEnded(kinds.size());

            assertThat(runs).as("runs of the first step").hasValue(30);
            for (Map.Entry<JobId, String> entry : kinds.entrySet()) {
                Job ended = setup.tracker.ended.get(entry.getKey());
                Job stored = setup.store instanceof JobStore jobStore
                        ? jobStore.find(entry.getKey()).orElse(null) : ended;
                for (Job state : new Job[] {ended, stored}) {
                    assertThat(state).as("state of job %s", entry.getKey()).isNotNull();
                    switch (entry.getValue()) {
                        case "fail" -> {
                            assertThat(state.status()).isEqualTo(JobStatus.FAILED);
                            assertThat(state.exceptionTraceback()).contains("planned failure of " + entry.getKey());
                        }
                        case "abort" -> {
                            assertThat(state.status()).isEqualTo(JobStatus.ABORTED);
                            assertThat(state.exceptionTraceback()).isEqualTo("planned abort");
                        }
                        default -> {
                            assertThat(state.status()).isEqualTo(JobStatus.COMPLETED);
                            assertThat(state.lastReturnValue().textValue()).isEqualTo("ok!");
                        }
                    }
                }
            }
        }
    }

    /** The runtime honours a cancel request made through the store. */
    @Nested
    @DisplayName("a cancel request")
    class Cancel {

        @Test
        @DisplayName("made while a step runs ends the job CANCELLED before its next step")
        void stopsBeforeNextStep() throws Exception {
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger nextStepRuns = new AtomicInteger();
            Workflow workflow = Workflow.builder("e2e-cancel")
                    .step("hold", JsonNode.class, (in, ctx) -> {
                        holding.countDown();
                        assertThat(release.await(timeout().toMillis(), TimeUnit.MILLISECONDS))
                                .as("released by the test").isTrue();
                        return "held";
                    })
                    .step("after", JsonNode.class, (in, ctx) -> nextStepRuns.incrementAndGet())
                    .build();
            Setup setup = new Setup(LONG_LEASE, workflow);
            assumeTrue(setup.store instanceof JobStore, "the store is not a JobStore: it can't take cancel requests");
            JobStore store = (JobStore) setup.store;
            Job job = Job.builder().id(SampleJobs.newId("cancel")).workflowName("e2e-cancel").build();
            store.update(job);
            setup.queue.put(job);

            setup.tracker.expect(1);
            setup.worker.start();
            assertThat(holding.await(timeout().toMillis(), TimeUnit.MILLISECONDS)).as("step 'hold' started").isTrue();
            assertThat(store.requestCancel(idOf(job))).as("cancel request accepted").isTrue();
            release.countDown();
            boolean ended = setup.tracker.awaitEnded(timeout());
            setup.worker.close();

            assertThat(ended).as("the job ended").isTrue();
            assertThat(nextStepRuns).as("runs of the step after the cancel request").hasValue(0);
            assertThat(present(setup.tracker.ended.get(idOf(job)), "the end of the job").status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(store.find(idOf(job))).hasValueSatisfying(stored ->
                    assertThat(stored.status()).isEqualTo(JobStatus.CANCELLED));
            assertThat(setup.tracker.stepsOf(idOf(job))).containsExactly("hold");
        }
    }
}
