package dev.ergate.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.RuntimeFields;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateListener;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.JobRunner;
import dev.ergate.runtime.StepResult;
import dev.ergate.runtime.Workflow;
import dev.ergate.spi.AtomicStepFinish;
import dev.ergate.spi.AtomicSubmit;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.JobPage;
import dev.ergate.spi.JobQuery;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.StateStore;
import dev.ergate.spi.StepPlan;
import dev.ergate.spi.StepStart;
import dev.ergate.testkit.ForwardingJobQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link JobQueue#startOnTake}: a queue that records a step's start as it leases the job hands
 * out exactly the RUNNING state the worker computes ({@link JobRunner#prepare}), the store reads
 * it back as that state (also after a cancel request), the job's JSON comes back as it was put,
 * a later write replaces the start, and a job the queue can't vouch for comes unstarted; a real
 * worker then runs a 3-step workflow without one {@link JobStore#startStep} call. For backends
 * whose queue and store live in one system and offer an atomic submit and finish. Not
 * thread-safe (one test of an instance at a time).
 *
 * <pre>{@code
 * class RedisStartOnTakeContractTest extends StartOnTakeContract {
 *     protected JobQueue newQueue() { return backend.queue(); }
 *     protected JobStore store() { return backend.store(); }
 * }
 * }</pre>
 */
@DisplayName("Start on take contract")
public abstract class StartOnTakeContract {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String WORKFLOW = "start-on-take";

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final Workflow workflow = Workflow.builder(WORKFLOW)
            .step("a", JsonNode.class, (in, ctx) -> in)
            .step("b", JsonNode.class, (in, ctx) -> in)
            .step("c", JsonNode.class, (in, ctx) -> in)
            .build();
    private final Map<String, List<String>> steps = Map.of(workflow.name(), workflow.stepNames());
    private final StepPlan plan = () -> steps;
    private final JobRunner runner = JobRunner.builder().build();
    private JobQueue queue;
    private JobStore store;

    /**
     * @return a new, empty queue (leases of at least a minute), isolated from every other test's;
     *     closed after the test
     * @throws Exception if the backend can't be set up
     */
    protected abstract JobQueue newQueue() throws Exception;

    /**
     * @return the store of the queue's backend (the one {@link JobQueue#startOnTake} writes to)
     * @throws Exception if the backend can't be set up
     */
    protected abstract JobStore store() throws Exception;

    @BeforeEach
    void open() throws Exception {
        runner.register(workflow);
        queue = newQueue();
        opened.add(queue);
        store = store();
        assertThat(queue.startOnTake(store, plan)).as("%s starts steps on take with %s", queue, store).isTrue();
    }

    @AfterEach
    void closeAll() throws Exception {
        List<AutoCloseable> reversed = new ArrayList<>(opened);
        Collections.reverse(reversed);
        for (AutoCloseable closeable : reversed) {
            closeable.close();
        }
        opened.clear();
    }

    private static Job job(String workflow, JsonNode input) {
        return Job.builder().id(SampleJobs.newId("sot")).workflowName(workflow).status(JobStatus.QUEUED)
                .initialInputValue(input).build();
    }

    private static Job job() {
        return job(WORKFLOW, IntNode.valueOf(7));
    }

    private void submit(Job job) {
        queue.atomicSubmit(store).orElseThrow(() -> new AssertionError(queue + " offers no atomic submit"))
                .submit(List.of(job));
    }

    private AtomicStepFinish finisher() {
        return queue.atomicStepFinish(store).orElseThrow(() -> new AssertionError(queue + " offers no atomic finish"));
    }

    private Delivery take() throws InterruptedException {
        return queue.take(WAIT).orElseThrow(() -> new AssertionError("nothing to take from " + queue));
    }

    /** {@return the RUNNING state the worker computes for a delivered job} */
    private Job running(Job delivered) {
        return runner.prepare(delivered).running();
    }

    private static Job stored(JobStore store, Job job) {
        return store.find(Objects.requireNonNull(job.id())).orElseThrow(() -> new AssertionError("job " + job.id()
                + " is not stored"));
    }

    /** {@return the state a worker writes after step {@code index} of {@code running}, the next one queued} */
    private static Job queuedAfter(Job running, int next) {
        return running.toBuilder().status(JobStatus.QUEUED).stepName(null).stepsCompleted(running.stepsCompleted() + 1)
                .extraField(RuntimeFields.CURRENT_STEP, IntNode.valueOf(next)).build();
    }

    @Test
    @DisplayName("a submitted job is delivered started: the state the worker computes, and the store holds it")
    void submittedJobIsStarted() throws Exception {
        Job job = job();
        submit(job);

        Delivery delivery = take();

        assertThat(delivery.job()).isEqualTo(job);
        Job running = running(job);
        assertThat(running.stepName()).isEqualTo("a");
        assertThat(delivery.startedState()).isEqualTo(running);
        assertThat(stored(store, job)).isEqualTo(running);
        JobPage page = store.list(JobQuery.builder().status(JobStatus.RUNNING).workflowName(WORKFLOW).pageSize(1000).build());
        assertThat(page.jobs()).contains(running);
        assertThat(store.list(JobQuery.builder().status(JobStatus.QUEUED).workflowName(WORKFLOW).pageSize(1000).build()).jobs())
                .extracting(Job::id).doesNotContain(job.id());
        delivery.ack();
    }

    @Test
    @DisplayName("the next step a finish queues is delivered started at that step; the final write replaces the start")
    void nextStepIsStartedAndFinalWriteReplacesIt() throws Exception {
        Job job = job();
        submit(job);
        Delivery first = take();
        Job afterA = queuedAfter(running(job), 1);
        finisher().finish(first, afterA, afterA);

        Delivery second = take();

        Job runningB = running(afterA);
        assertThat(runningB.stepName()).isEqualTo("b");
        assertThat(second.startedState()).isEqualTo(runningB);
        assertThat(stored(store, job)).isEqualTo(runningB);

        Job completed = runningB.toBuilder().status(JobStatus.COMPLETED).stepName(null).stepsCompleted(2)
                .percentCompleted(100.0).extraField(RuntimeFields.CURRENT_STEP, null)
                .lastReturnValue(IntNode.valueOf(49)).build();
        finisher().finish(second, completed, null);
        assertThat(stored(store, job)).isEqualTo(completed);
        assertThat(queue.take(Duration.ZERO)).isEmpty();
    }

    @Test
    @DisplayName("the job's JSON comes back as it was put: empty arrays and objects, big and exact numbers")
    void jsonIsKept() throws Exception {
        JsonNode input = new com.fasterxml.jackson.databind.ObjectMapper().enable(
                com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree("{\"empty_list\":[],\"empty_object\":{},\"nested\":[[],{}],"
                + "\"big\":123456789012345678901234567890,\"exact\":0.1000000000000000055511151231257827,"
                + "\"text\":\"caf\\u00e9 \\\"q\\\"\"}");
        Job job = job(WORKFLOW, input);
        submit(job);

        Delivery delivery = take();

        // the queue's own decoding of the message is the reference: the store must give back the same
        Job delivered = delivery.job();
        assertThat(delivery.startedState()).isEqualTo(running(delivered));
        Job stored = stored(store, job);
        assertThat(stored).isEqualTo(running(delivered));
        JsonNode kept = stored.initialInputValue();
        assertThat(kept).isEqualTo(delivered.initialInputValue());
        assertThat(kept.get("empty_list").isArray()).as("[] is still an array: %s", kept).isTrue();
        assertThat(kept.get("empty_object").isObject()).as("{} is still an object: %s", kept).isTrue();
        assertThat(kept.get("nested").get(0).isArray()).as("nested [] is still an array: %s", kept).isTrue();
        assertThat(kept.get("big").bigIntegerValue()).isEqualTo(new java.math.BigInteger("123456789012345678901234567890"));
        assertThat(kept.get("text").textValue()).isEqualTo("caf\u00e9 \"q\"");
        delivery.ack();
    }

    @Test
    @DisplayName("a cancel request after the start reads back as CANCELLING at the started step, and the worker's start sees it")
    void cancelAfterStart() throws Exception {
        Job job = job();
        submit(job);
        Delivery delivery = take();
        Job running = Objects.requireNonNull(delivery.startedState(), "started state");

        assertThat(store.requestCancel(SampleJobs.idOf(job))).isTrue();

        assertThat(stored(store, job)).isEqualTo(running.toBuilder().status(JobStatus.CANCELLING).build());
        assertThat(store.startStep(running)).isEqualTo(StepStart.CANCEL_REQUESTED);
        delivery.ack();
    }

    @Test
    @DisplayName("a job whose cancel was requested, or whose stored state changed since its put, is delivered unstarted")
    void notVouchedFor() throws Exception {
        Job cancelled = job();
        submit(cancelled);
        assertThat(store.requestCancel(SampleJobs.idOf(cancelled))).isTrue();
        Job changed = job();
        submit(changed);
        Job replaced = changed.toBuilder().percentCompleted(5.0).build();
        store.replace(replaced); // the message still carries the state before

        for (int i = 0; i < 2; i++) {
            Delivery delivery = take();
            assertThat(delivery.startedState()).as("started state of %s", delivery.job().id()).isNull();
            delivery.ack();
        }
        assertThat(stored(store, cancelled).status()).isEqualTo(JobStatus.CANCELLING);
        assertThat(stored(store, changed)).isEqualTo(replaced);
    }

    @Test
    @DisplayName("a workflow the plan lacks, and a second delivery, are delivered unstarted")
    void unknownWorkflowAndRedelivery() throws Exception {
        Job unknown = job("not-in-the-plan", IntNode.valueOf(1));
        submit(unknown);
        Delivery delivery = take();
        assertThat(delivery.startedState()).isNull();
        assertThat(stored(store, unknown).status()).isEqualTo(JobStatus.QUEUED);
        delivery.ack();

        Job job = job();
        submit(job);
        Delivery first = take();
        assertThat(first.startedState()).isNotNull();
        first.release(Duration.ZERO);
        Delivery again = take();
        assertThat(again.deliveryCount()).isEqualTo(2);
        assertThat(again.startedState()).isNull();
        again.ack();
    }

    @Test
    @DisplayName("a worker runs a 3-step workflow to the end without one startStep call of its own")
    void workerSkipsItsOwnStart() throws Exception {
        CountingStore counting = new CountingStore(store);
        int count = 20;
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Job job = job(WORKFLOW, IntNode.valueOf(i));
            jobs.add(job);
            submit(job);
        }
        CountDownLatch ended = new CountDownLatch(count);
        ErgateListener listener = new ErgateListener() {
            @Override
            public void stepFinished(StepResult result) {
                if (result.state().filter(state -> state.status().isFinal()).isPresent()) {
                    ended.countDown();
                }
            }
        };
        Ergate worker = Ergate.builder(new SameStoreQueue(queue, store), counting)
                .options(ErgateOptions.builder().concurrency(4).pollTimeout(Duration.ofMillis(200))
                        .drainTimeout(Duration.ofSeconds(30)).handleSignals(false).build())
                .listener(listener).build();
        opened.add(worker);
        worker.registerWorkflow(workflow);

        worker.start();
        boolean allEnded = ended.await(2, TimeUnit.MINUTES);
        worker.close();

        assertThat(allEnded).as("all %d jobs ended (left: %d)", count, ended.getCount()).isTrue();
        for (int i = 0; i < count; i++) {
            Job end = stored(store, jobs.get(i));
            assertThat(end.status()).as("status of %s", end.id()).isEqualTo(JobStatus.COMPLETED);
            assertThat(end.lastReturnValue()).isEqualTo(IntNode.valueOf(i));
            assertThat(end.stepsCompleted()).isEqualTo(3);
        }
        assertThat(counting.starts.get()).as("startStep calls the worker made itself").isZero();
    }

    /** A store that counts {@link #startStep} calls and passes everything on. */
    private static final class CountingStore implements JobStore {
        final JobStore inner;
        final AtomicInteger starts = new AtomicInteger();

        CountingStore(JobStore inner) {
            this.inner = inner;
        }

        @Override
        public Optional<Job> find(JobId id) {
            return inner.find(id);
        }

        @Override
        public JobPage list(JobQuery query) {
            return inner.list(query);
        }

        @Override
        public boolean requestCancel(JobId id) {
            return inner.requestCancel(id);
        }

        @Override
        public void update(Job job) {
            inner.update(job);
        }

        @Override
        public boolean insert(Job job) {
            return inner.insert(job);
        }

        @Override
        public void replace(Job job) {
            inner.replace(job);
        }

        @Override
        public StepStart startStep(Job running) {
            starts.incrementAndGet();
            return inner.startStep(running);
        }
    }

    /**
     * The queue under test, offering its atomic finish and start on take with the backend's own
     * store whatever store the worker holds (the worker holds a {@link CountingStore}).
     */
    private static final class SameStoreQueue extends ForwardingJobQueue {
        private final JobStore store;

        SameStoreQueue(JobQueue inner, JobStore store) {
            super(inner);
            this.store = store;
        }

        @Override
        public Optional<AtomicStepFinish> atomicStepFinish(StateStore ignored) {
            return delegate().atomicStepFinish(store);
        }

        @Override
        public Optional<AtomicSubmit> atomicSubmit(StateStore ignored) {
            return delegate().atomicSubmit(store);
        }

        @Override
        public boolean startOnTake(JobStore ignored, StepPlan plan) {
            return delegate().startOnTake(store, plan);
        }

        @Override
        public void close() {
            // the test closes the queue it made
        }
    }
}
