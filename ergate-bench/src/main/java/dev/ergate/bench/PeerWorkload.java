package dev.ergate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.Submission;
import dev.ergate.runtime.Workflow;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.QueueCounts;
import dev.ergate.spi.QueueStats;
import dev.ergate.spi.StateStore;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The peers' burn-down ({@code ../shared/peers/README.md}) through Ergate's public API: N jobs
 * of a no-op workflow submitted with {@link ErgateClient} from C threads while no worker runs,
 * then one {@link Ergate} worker of concurrency C runs them all; then, untimed, every job must be
 * COMPLETED in the store. Not thread-safe: one run per instance.
 *
 * <p>Timing as the peers' harnesses do it: {@code enqueue_per_s} = N / the submit phase's wall
 * time; {@code process_per_s} = N (steps: N x steps) / the time from the first handler's start to
 * the moment the queue shows every job acknowledged (the last completion recorded: a step's final
 * state is written before, or in the same transaction as, its ack), polled every 5 ms once the
 * last handler has run, as BullMQ's harness polls its completed count.
 */
public final class PeerWorkload {

    /** The workflow's name. */
    public static final String WORKFLOW = "peer-noop";

    private static final long UNSET = Long.MIN_VALUE;

    private final PeerOptions options;
    private final PrintStream progress;
    private final String runId = "ergpeer" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong firstStart = new AtomicLong(UNSET);
    private final LongAdder handlersRun = new LongAdder();
    /** Counted down by each job's last step; made when the run knows N. Awaited, not polled: a
     * polling thread would take CPU from the workers on 2 cores. */
    private volatile CountDownLatch lastStepsLeft = new CountDownLatch(0);

    /**
     * @param options what to run
     * @param progress where to say what is happening (the RESULT line is in the result)
     */
    public PeerWorkload(PeerOptions options, PrintStream progress) {
        this.options = Objects.requireNonNull(options, "options");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * Runs the workload once on a fresh queue and store, removed afterwards.
     *
     * @return the figures and the check
     * @throws Exception if the backend fails, or the burn-down does not end within the timeout
     */
    public PeerResult run() throws Exception {
        int n = options.jobs();
        int c = options.concurrency();
        try (BenchBackend backend = Backends.create(options.backend(), options.redisUrl(), options.postgresUrl(),
                        options.sqsEndpoint());
                BackendRun run = backend.open(runId, c, Duration.ofSeconds(30))) {
            progress.printf("%s: %s%n", options.label(), backend.describe());
            ErgateClient client = ErgateClient.builder(run.queue()).store(run.store()).build();
            AtomicReferenceArray<JobId> ids = new AtomicReferenceArray<>(n);
            lastStepsLeft = new CountDownLatch(n);
            long enqueueStart = System.nanoTime();
            submitAll(client, ids);
            long enqueueNanos = System.nanoTime() - enqueueStart;
            progress.printf("%s: %d jobs submitted from %d threads%s%n", options.label(), n, c,
                    options.batchSize() > 0 ? " in batches of " + options.batchSize() : " one by one");

            Ergate ergate = Ergate.builder(run.queue(), run.store())
                    .options(ErgateOptions.builder().concurrency(c).handleSignals(false)
                            .pollTimeout(Duration.ofMillis(500)).drainTimeout(Duration.ofSeconds(10)).build())
                    .build()
                    .registerWorkflow(workflow());
            long processNanos;
            try {
                long cpuBefore = Machine.processCpuNanos();
                ergate.start();
                long acked = awaitBurnDown(run);
                processNanos = acked - firstStart.get();
                // the JVM's CPU per step of the burn-down (every thread: workers, GC, JIT, this one's
                // polling), which a loaded machine moves less than the rate
                long cpuNanos = Machine.processCpuNanos() - cpuBefore;
                if (cpuBefore >= 0) {
                    progress.printf(Locale.ROOT, "%s: burn-down done: JVM CPU %.1f us per step (%d ms in %d ms),"
                            + " load %s%n", options.label(), cpuNanos / 1e3 / ((long) n * options.steps()),
                            cpuNanos / 1_000_000, processNanos / 1_000_000, Machine.loadAverage());
                }
            } finally {
                ergate.close();
            }
            long completed = countCompleted(run.store(), ids);
            return new PeerResult(options.label(), n, c, options.steps(), enqueueNanos, processNanos,
                    handlersRun.sum(), completed);
        }
    }

    private Workflow workflow() {
        Workflow.Builder builder = Workflow.builder(WORKFLOW);
        int steps = options.steps();
        for (int i = 1; i <= steps; i++) {
            boolean last = i == steps;
            builder.step("step-" + i, JsonNode.class, (input, context) -> {
                if (firstStart.get() == UNSET) {
                    firstStart.compareAndSet(UNSET, System.nanoTime());
                }
                handlersRun.increment();
                if (last) {
                    lastStepsLeft.countDown();
                }
                return input;
            });
        }
        return builder.build();
    }

    /** C threads take job numbers from one counter and submit them one by one, or a batch at a time. */
    private void submitAll(ErgateClient client, AtomicReferenceArray<JobId> ids) throws Exception {
        int n = options.jobs();
        int batch = Math.max(1, options.batchSize());
        AtomicInteger next = new AtomicInteger();
        ExecutorService producers = Executors.newFixedThreadPool(options.concurrency());
        try {
            List<Future<?>> lanes = new ArrayList<>();
            for (int p = 0; p < options.concurrency(); p++) {
                lanes.add(producers.submit(() -> {
                    for (int from = next.getAndAdd(batch); from < n; from = next.getAndAdd(batch)) {
                        int to = Math.min(n, from + batch);
                        if (options.batchSize() == 0) {
                            ids.set(from, client.submit(WORKFLOW, IntNode.valueOf(from)));
                            continue;
                        }
                        List<Submission> submissions = new ArrayList<>(to - from);
                        for (int i = from; i < to; i++) {
                            submissions.add(client.submit(WORKFLOW).input(IntNode.valueOf(i)));
                        }
                        List<JobId> submitted = client.submitAll(submissions);
                        for (int i = from; i < to; i++) {
                            ids.set(i, submitted.get(i - from));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> lane : lanes) {
                lane.get();
            }
        } finally {
            producers.shutdownNow();
        }
    }

    /**
     * Waits for the last step's handler of every job, then for the queue to hold nothing: every
     * job acknowledged after (or with) its final state.
     *
     * @return {@link System#nanoTime()} when the queue was seen empty
     */
    private long awaitBurnDown(BackendRun run) throws InterruptedException {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        int n = options.jobs();
        if (!lastStepsLeft.await(options.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException(options.label() + ": the burn-down did not end within "
                    + options.timeout().toSeconds() + " s (--timeout-seconds): the last step's handler ran for "
                    + (n - lastStepsLeft.getCount()) + " of " + n + " jobs");
        }
        if (!(run.queue() instanceof QueueStats stats)) {
            return System.nanoTime();
        }
        while (true) {
            QueueCounts counts = stats.counts();
            long now = System.nanoTime();
            if (counts.ready() + counts.delayed() + counts.inFlight() == 0) {
                return now;
            }
            checkDeadline(deadline, "every handler ran, the queue still holds " + counts);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private void checkDeadline(long deadline, String state) {
        if (System.nanoTime() - deadline > 0) {
            throw new IllegalStateException(options.label() + ": the burn-down did not end within "
                    + options.timeout().toSeconds() + " s (--timeout-seconds): " + state);
        }
    }

    /** The untimed check: every submitted job's stored state, read back on C threads. */
    private long countCompleted(StateStore stateStore, AtomicReferenceArray<JobId> ids) throws Exception {
        if (!(stateStore instanceof JobStore store)) {
            throw new IllegalStateException(stateStore + " can't be read back to check the jobs");
        }
        int n = ids.length();
        AtomicInteger next = new AtomicInteger();
        LongAdder completed = new LongAdder();
        List<String> problems = new ArrayList<>();
        ExecutorService readers = Executors.newFixedThreadPool(options.concurrency());
        try {
            List<Future<?>> lanes = new ArrayList<>();
            for (int p = 0; p < options.concurrency(); p++) {
                lanes.add(readers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        JobId id = ids.get(i);
                        Optional<Job> job = id == null ? Optional.empty() : store.find(id);
                        if (job.isPresent() && job.get().status() == JobStatus.COMPLETED) {
                            completed.increment();
                        } else {
                            synchronized (problems) {
                                if (problems.size() < 3) {
                                    problems.add("job #" + i + " " + id + ": "
                                            + job.map(j -> j.status().name()).orElse("not in the store"));
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> lane : lanes) {
                lane.get();
            }
        } finally {
            readers.shutdownNow();
        }
        if (!problems.isEmpty()) {
            progress.printf("%s: not COMPLETED, for example: %s%n", options.label(), String.join("; ", problems));
        }
        return completed.sum();
    }
}
