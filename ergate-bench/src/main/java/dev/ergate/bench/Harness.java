package dev.ergate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ergate.JobCodec;
import dev.ergate.JobId;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.StateStore;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.AbstractHistogram;
import org.jspecify.annotations.Nullable;

/**
 * The end-to-end harness: one run on one backend, phase by phase (warm-up, throughput, latency,
 * raw baseline), checking that every job ended COMPLETED with its payload; the phases are
 * described in the module README. Not thread-safe: one run at a time per instance.
 */
public final class Harness {

    /** The name of the pre-loaded phase. */
    public static final String THROUGHPUT = "throughput";
    /** The name of the streamed phase. */
    public static final String LATENCY = "latency";
    /** The name of the unreported warm-up phase. */
    public static final String WARMUP = "warmup";

    private final HarnessOptions options;
    private final PrintStream progress;
    private final String runId = "ergbench" + UUID.randomUUID().toString().substring(0, 8);

    /** A pre-loaded phase times the latency of 1 job in this many. */
    static final int PRELOADED_TIME_ONE_IN = 16;

    /**
     * @param options what to run
     * @param progress where to say what is happening (the table is in the report, not here)
     */
    public Harness(HarnessOptions options, PrintStream progress) {
        this.options = Objects.requireNonNull(options, "options");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * Runs every phase on the options' backend.
     *
     * @return the report
     * @throws Exception if the backend can't be reached, or a phase does not end within the
     *     timeout (the message says how many jobs ended)
     */
    public HarnessReport run() throws Exception {
        String loadBefore = Machine.loadAverage();
        try (BenchBackend backend = Backends.create(options)) {
            List<PhaseResult> phases = new ArrayList<>();
            if (options.warmupJobs() > 0) {
                runPhase(backend, WARMUP, options.warmupJobs(), options.warmupJobs(), false);
            }
            phases.add(runPhase(backend, THROUGHPUT, options.jobs(), options.jobs(), true));
            if (options.latencyJobs() > 0) {
                phases.add(runPhase(backend, LATENCY, options.latencyJobs(), options.inFlight(), false));
            }
            BaselineResult baseline = null;
            if (options.baseline()) {
                RawBaseline raw = backend.baseline();
                long steps = (long) options.jobs() * options.steps();
                progress.printf("raw baseline: %s, %d steps on %d threads...%n", raw.describe(), steps, options.workers());
                byte[] message = JobCodec.standard().encode(
                        BenchWorkflow.job(JobId.of(runId + "-template"), BenchWorkflow.payload(options.payloadBytes())));
                baseline = raw.run(runId + "b", options.workers(), options.jobs(), steps, message);
            }
            String machine = Machine.describe() + ", load average " + loadBefore + " before and "
                    + Machine.loadAverage() + " after";
            return new HarnessReport(options, backend.describe(), machine, phases, baseline);
        }
    }

    private PhaseResult runPhase(BenchBackend backend, String name, int jobs, int inFlight, boolean measureHeap)
            throws Exception {
        boolean preload = inFlight >= jobs;
        progress.printf("%s: %d jobs of %d steps, %s, %d workers...%n", name, jobs, options.steps(),
                preload ? "pre-loaded" : inFlight + " in flight", options.workers());
        JsonNode payload = BenchWorkflow.payload(options.payloadBytes());
        // a pre-loaded phase times 1 job in 16: its latencies are the wait behind the backlog
        RunTracker tracker = new RunTracker(options.steps(), payload, jobs, preload ? PRELOADED_TIME_ONE_IN : 1);
        String phaseId = runId + name.charAt(0);
        try (BackendRun run = backend.open(phaseId, options.workers(), options.leaseTime())) {
            JobQueue queue = Instrumentation.queue(run.queue(), tracker);
            StateStore store = Instrumentation.store(run.store(), tracker);
            Ergate ergate = Ergate.builder(queue, store)
                    .options(ErgateOptions.builder()
                            .concurrency(options.workers())
                            .handleSignals(false)
                            .pollTimeout(Duration.ofMillis(500))
                            .drainTimeout(Duration.ofSeconds(10))
                            .build())
                    .build();
            ergate.registerWorkflow(BenchWorkflow.create(options.steps(), tracker));
            if (preload) {
                for (int i = 0; i < jobs; i++) {
                    run.queue().put(BenchWorkflow.job(JobId.of(phaseId + "-" + i), payload));
                }
            }
            AtomicReference<@Nullable Exception> producerFailure = new AtomicReference<>();
            Thread producer = null;
            long allocatedBefore = measureHeap ? Machine.allocatedBytesOfLiveThreads() : -1;
            long cpuBefore = Machine.processCpuNanos();
            long start = System.nanoTime();
            try {
                ergate.start();
                if (!preload) {
                    producer = stream(run.queue(), tracker, phaseId, jobs, inFlight, payload, producerFailure);
                }
                awaitEnd(name, tracker, jobs, producerFailure);
                long nanos = tracker.lastEndNanos() - start;
                reportCpu(name, cpuBefore, Machine.processCpuNanos(), (long) jobs * options.steps(), nanos);
                long allocatedAfter = measureHeap ? Machine.allocatedBytesOfLiveThreads() : -1;
                long allocatedPerStep = allocatedBefore < 0 || allocatedAfter < 0
                        ? -1 : (allocatedAfter - allocatedBefore) / ((long) jobs * options.steps());
                long heap = measureHeap ? Machine.heapUsedAfterGc() : -1;
                AbstractHistogram latency = tracker.latency();
                return new PhaseResult(name, jobs, Math.min(inFlight, jobs), options.steps(), nanos,
                        tracker.completed(), tracker.wrong(), tracker.firstProblem(), tracker.stepsStarted(),
                        latency.getTotalCount(), latency.getValueAtPercentile(50), latency.getValueAtPercentile(99),
                        tracker.timedFromFinishStart(), heap, allocatedPerStep);
            } finally {
                if (producer != null) {
                    producer.interrupt();
                    producer.join();
                }
                ergate.close();
            }
        }
    }

    /**
     * Says how much CPU the phase's steps cost, all threads of this JVM counted: on a shared
     * machine the rate moves with the load, the CPU time per step much less.
     */
    private void reportCpu(String name, long cpuBefore, long cpuAfter, long steps, long wallNanos) {
        if (cpuBefore < 0 || cpuAfter < 0 || steps == 0 || wallNanos <= 0) {
            return;
        }
        long cpu = cpuAfter - cpuBefore;
        progress.printf(java.util.Locale.ROOT, "%s: process CPU %.2f us per step (all threads of this JVM), %.2f cores busy"
                + " on average%n", name, cpu / 1000.0 / steps, (double) cpu / wallNanos);
    }

    private static Thread stream(JobQueue queue, RunTracker tracker, String phaseId, int jobs, int inFlight,
            JsonNode payload, AtomicReference<@Nullable Exception> failure) {
        Semaphore permits = new Semaphore(inFlight);
        tracker.onJobEnd(permits::release);
        Thread producer = new Thread(() -> {
            try {
                for (int i = 0; i < jobs; i++) {
                    permits.acquire();
                    queue.put(BenchWorkflow.job(JobId.of(phaseId + "-" + i), payload));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure.set(e);
            }
        }, "bench-producer");
        producer.start();
        return producer;
    }

    private void awaitEnd(String name, RunTracker tracker, int jobs, AtomicReference<@Nullable Exception> producerFailure)
            throws Exception {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        while (!tracker.awaitAllEnded(Duration.ofMillis(200))) {
            Exception failure = producerFailure.get();
            if (failure != null) {
                throw new IllegalStateException(name + " phase: putting jobs on the queue failed after "
                        + (tracker.completed() + tracker.wrong()) + " of " + jobs + " ended: " + failure, failure);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(name + " phase: only " + (tracker.completed() + tracker.wrong())
                        + " of " + jobs + " jobs ended within " + options.timeout().toSeconds()
                        + " s (--timeout-seconds); " + tracker.stepsStarted() + " steps ran");
            }
        }
    }
}
