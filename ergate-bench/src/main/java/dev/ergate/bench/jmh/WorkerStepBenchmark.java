package dev.ergate.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.bench.BenchWorkflow;
import dev.ergate.bench.LatestStateStore;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.Workflow;
import dev.ergate.spi.JobPage;
import dev.ergate.spi.JobQuery;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.StepStart;
import dev.ergate.testkit.InMemoryJobQueue;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One step through a running {@link Ergate} worker on the in-memory backend, per operation; the
 * {@code queue} parameter picks the queue (the module README says what each leaves out). Jobs
 * that complete are put again, so the load stays the same size. Not thread-safe (JMH state).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class WorkerStepBenchmark {

    /** Worker threads. */
    @Param({"1", "4"})
    public int workers;

    /**
     * Which queue: "testkit" (InMemoryJobQueue: JSON, leases, one lock), "objects" (the same with
     * {@code jsonRoundTrip(false)}: Job objects, leases, one lock) or "direct" (Job objects over a
     * LinkedBlockingQueue, no leases).
     */
    @Param({"testkit", "objects", "direct"})
    public String queueKind = "testkit";

    /** Jobs on the queue at once. */
    @Param({"64"})
    public int jobs;

    private final Semaphore stepsWritten = new Semaphore(0);
    private final JsonNode payload = BenchWorkflow.payload(100);
    private JobQueue queue = InMemoryJobQueue.create();
    private Ergate ergate = Ergate.builder(queue, job -> { }).build();

    /** Starts the worker over a queue of {@code jobs} jobs. */
    @Setup
    public void setUp() {
        queue = switch (queueKind) {
            case "direct" -> new DirectJobQueue();
            case "objects" -> InMemoryJobQueue.builder().jsonRoundTrip(false).build();
            case "testkit" -> InMemoryJobQueue.builder().build();
            default -> throw new IllegalArgumentException("queueKind must be testkit, objects or direct, got " + queueKind);
        };
        RecyclingStore store = new RecyclingStore(queue, stepsWritten, payload);
        Workflow.Builder workflow = Workflow.builder(BenchWorkflow.NAME);
        for (int i = 1; i <= 3; i++) {
            workflow.step("step-" + i, JsonNode.class, (input, context) -> input);
        }
        ergate = Ergate.builder(queue, store)
                .options(ErgateOptions.builder().concurrency(workers).handleSignals(false)
                        .pollTimeout(Duration.ofMillis(200)).build())
                .build();
        ergate.registerWorkflow(workflow.build());
        for (int i = 0; i < jobs; i++) {
            queue.put(BenchWorkflow.job(JobId.of("jmh-" + i), payload));
        }
        ergate.start();
    }

    /** Stops the worker and the queue. */
    @TearDown
    public void tearDown() {
        ergate.close();
        queue.close();
    }

    /**
     * Counts each step's state written, and puts a completed job again under the same id, so the
     * queue never runs dry and the store never grows; the fresh job replaces the stored one first
     * (past the write fence), or its first step would be refused as stale behind the old run's
     * states. Thread-safe.
     */
    private static final class RecyclingStore implements JobStore {
        private final LatestStateStore latest = new LatestStateStore();
        private final JobQueue queue;
        private final Semaphore stepsWritten;
        private final JsonNode payload;

        RecyclingStore(JobQueue queue, Semaphore stepsWritten, JsonNode payload) {
            this.queue = queue;
            this.stepsWritten = stepsWritten;
            this.payload = payload;
        }

        /**
         * A final state is not stored: the job is stored and put again, fresh, under its id.
         */
        @Override
        public void update(Job job) {
            JobId id = job.id();
            if (job.status().isFinal() && id != null) {
                stepsWritten.release();
                Job fresh = BenchWorkflow.job(id, payload);
                latest.replace(fresh);
                queue.put(fresh);
                return;
            }
            latest.update(job);
            if (job.status() != JobStatus.RUNNING) {
                stepsWritten.release();
            }
        }

        @Override
        public StepStart startStep(Job running) {
            return latest.startStep(running);
        }

        @Override
        public Optional<Job> find(JobId id) {
            return latest.find(id);
        }

        @Override
        public JobPage list(JobQuery query) {
            return latest.list(query);
        }

        @Override
        public boolean requestCancel(JobId id) {
            return latest.requestCancel(id);
        }
    }

    /**
     * Waits for the worker to write one more step's state.
     *
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    public void step() throws InterruptedException {
        stepsWritten.acquire();
    }
}
