package dev.ergate.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.internal.PausePoints;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.RetryPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fault scenarios that run the same way on every backend; a subclass says which backend
 * ({@link #newSpec}). Each test gets a space of its own (namespace, schema) and deletes it after.
 */
abstract class FaultScenarios {

    private static final Logger LOG = LoggerFactory.getLogger(FaultScenarios.class);

    /** A job pushed raw with a start time 3 s ahead in its body (hostile input run). */
    static final String FUTURE_JOB = "hostile-future";

    /** Lease time of the worker JVMs' queues. */
    static final long LEASE_MILLIS = 3_000;
    static final int WORKERS = 3;
    static final int WORKER_THREADS = 2;

    protected final FaultScale scale = FaultScale.current();
    private final List<WorkerProcess> processes = new ArrayList<>();
    private final List<FaultBackend> backends = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** @return a spec for a new, empty space on this class's backend (skips when it is absent) */
    protected abstract BackendSpec newSpec(String label);

    /** @return the backend's name in the figures */
    protected abstract String backendName();

    /**
     * @return the most duplicate step runs one SIGKILLed worker thread may cause: 1 where the
     *     step's finish is atomic (Redis, PostgreSQL): only the step in flight runs again
     */
    protected int duplicatesPerKilledThread() {
        return 1;
    }

    /** Opens a backend for the test JVM; closed and its space dropped after the test. */
    protected FaultBackend open(BackendSpec spec, Duration lease) {
        return open(spec, lease, java.time.Clock.systemUTC());
    }

    /** As {@link #open(BackendSpec, Duration)}, the adapters measuring time by {@code clock}. */
    protected FaultBackend open(BackendSpec spec, Duration lease, java.time.Clock clock) {
        FaultBackend backend = spec.open(lease, 8, "ergate-fault-test", clock);
        backends.add(backend);
        return backend;
    }

    protected WorkerProcess startWorker(Path dir, String name, BackendSpec spec, long stepMillis, long drainMillis)
            throws Exception {
        return startWorker(dir, name, spec, stepMillis, drainMillis, WORKER_THREADS, "sleep");
    }

    protected WorkerProcess startWorker(Path dir, String name, BackendSpec spec, long stepMillis, long drainMillis,
            int threads, String work) throws Exception {
        WorkerProcess worker = WorkerProcess.start(dir, name, spec, LEASE_MILLIS, stepMillis, threads, drainMillis,
                work, List.of());
        processes.add(worker);
        return worker;
    }

    protected static Path runDir(String scenario) {
        return Path.of("target", "fault", scenario + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    protected static void putJobs(FaultBackend backend, int jobs) {
        for (int n = 0; n < jobs; n++) {
            putJob(backend, n);
        }
    }

    protected static void putJob(FaultBackend backend, int n) {
        Job job = Job.builder().id(Outcome.jobId(n)).workflowName(FaultWorkflow.NAME)
                .initialInputValue(IntNode.valueOf(n)).build();
        backend.store().update(job);
        backend.queue().put(job);
    }

    /**
     * Puts jobs {@code 0, 1, ...} as they are needed, keeping about {@code backlog} messages on the
     * queue, so a redelivered step waits for its lease, not behind a backlog. Stops once at least
     * {@code minimum} were put and {@code enough} says so.
     */
    protected static final class Feeder implements AutoCloseable {
        private final java.util.concurrent.ScheduledExecutorService timer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        private final java.util.concurrent.atomic.AtomicInteger put = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.atomic.AtomicBoolean enough = new java.util.concurrent.atomic.AtomicBoolean();

        Feeder(FaultBackend backend, int backlog, int minimum) {
            timer.scheduleWithFixedDelay(() -> {
                try {
                    long queued = backend.queued();
                    while (queued < backlog && (put.get() < minimum || !enough.get())) {
                        putJob(backend, put.getAndIncrement());
                        queued++;
                    }
                } catch (RuntimeException e) {
                    LOG.warn("feeder: {}", e.toString());
                }
            }, 0, 20, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        void enough() {
            enough.set(true);
        }

        /** @return how many jobs were put so far */
        int put() {
            return put.get();
        }

        /** Stops feeding. @return how many jobs were put */
        int stop() throws InterruptedException {
            enough.set(true);
            timer.shutdown();
            if (!timer.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("feeder did not stop");
            }
            return put.get();
        }

        @Override
        public void close() throws InterruptedException {
            timer.shutdownNow();
            timer.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        closeables.clear();
        for (WorkerProcess process : processes) {
            process.close();
        }
        processes.clear();
        for (FaultBackend backend : backends) {
            try {
                backend.dropSpace();
            } finally {
                backend.close();
            }
        }
        backends.clear();
    }

    @Test
    @DisplayName("SIGKILL storm: worker JVMs killed mid-step lose no job; duplicates and re-run delay are bounded")
    void sigkillStorm() throws Exception {
        long began = System.currentTimeMillis();
        BackendSpec spec = newSpec("storm");
        FaultBackend backend = open(spec, Duration.ofMillis(LEASE_MILLIS));
        Feeder feeder = new Feeder(backend, 4 * WORKERS * WORKER_THREADS, scale.stormJobs());
        closeables.add(feeder);
        Path dir = runDir("storm-" + backendName());
        WorkerProcess[] slots = new WorkerProcess[WORKERS];
        int[] incarnation = new int[WORKERS];
        for (int s = 0; s < WORKERS; s++) {
            slots[s] = startWorker(dir, "w" + s + "-0", spec, scale.stormStepMillis(), 10_000);
        }
        Map<String, Long> killedAt = new HashMap<>(); // step-log file -> SIGKILL time
        int kills = 0;
        long stormDeadline = System.currentTimeMillis() + Duration.ofMinutes(scale == FaultScale.LONG ? 15 : 3).toMillis();
        while (kills < scale.stormKills() && System.currentTimeMillis() < stormDeadline) {
            int victim = ThreadLocalRandom.current().nextInt(WORKERS);
            WorkerProcess target = slots[victim];
            long notBefore = System.currentTimeMillis() + ThreadLocalRandom.current().nextLong(200, 1_200);
            Path steps = dir.resolve(target.name() + ".steps");
            WorkerProcess[] now = slots.clone();
            // a random moment at which the victim is in the middle of a step and another worker runs
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(15))
                    .until(() -> System.currentTimeMillis() >= notBefore && midStep(steps)
                            && anotherRunning(dir, now, victim));
            killedAt.put(target.name() + ".steps", target.kill());
            kills++;
            incarnation[victim]++;
            slots[victim] = startWorker(dir, "w" + victim + "-" + incarnation[victim], spec, scale.stormStepMillis(),
                    10_000);
            LOG.info("{}: kill {} of {} ({}), {} messages queued", backendName(), kills, scale.stormKills(),
                    target.name(), backend.queued());
        }
        feeder.enough();
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> feeder.put.get() >= scale.stormJobs());
        int jobs;
        try (feeder) {
            jobs = feeder.stop();
        }
        LOG.info("{}: {} jobs put", backendName(), jobs);
        assertThat(kills).as("SIGKILLs injected within the time limit").isEqualTo(scale.stormKills());

        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                .until(() -> backend.queued() == 0 && Outcome.finalCount(backend.store(), jobs) == jobs);
        long finished = System.currentTimeMillis();
        for (WorkerProcess slot : slots) {
            slot.kill();
        }

        List<StepLog.Event> events = StepLog.readAll(dir);
        Outcome outcome = Outcome.of(Outcome.lost(backend.store(), jobs), events);
        long maxWait = maxRerunWait(events, killedAt);
        Figures.record(new Figures.Row("1 SIGKILL storm", backendName(), scale.name(), jobs,
                kills + " SIGKILL", outcome.lost().size(), outcome.duplicates(),
                "max " + maxWait + " ms to re-run (lease " + LEASE_MILLIS + " ms)", (finished - began) / 1000));

        assertThat(outcome.lost()).as("lost jobs").isEmpty();
        assertThat(Outcome.distinctSteps(events)).as("(job, step) pairs that ran").isEqualTo(3L * jobs);
        assertThat(outcome.duplicates()).as("duplicate step runs %s", outcome.repeated())
                .isBetween(1, kills * WORKER_THREADS * duplicatesPerKilledThread());
        assertThat(backend.deadLetters()).as("dead letters").isEmpty();
        // a killed worker's step waits for its lease to run out, then for the next take
        assertThat(maxWait).as("longest wait of a killed step").isBetween(0L, LEASE_MILLIS + 10_000);
    }

    /**
     * @return the pause points of a delivery to SIGKILL a worker at on this backend: by default
     *     the windows of a backend with an atomic step finish
     */
    protected List<String> pauseWindows() {
        return List.of(PausePoints.BEFORE_START, PausePoints.AFTER_START, PausePoints.STEP_ENDED,
                PausePoints.FINISHED);
    }

    @Test
    @DisplayName("a SIGKILL in each window of a delivery (test pause points): no job lost, at most one extra run of the killed step")
    void killsAtPausePoints() throws Exception {
        long began = System.currentTimeMillis();
        long leaseMillis = 2_000;
        List<String> windows = pauseWindows();
        Path dir = runDir("pause-" + backendName());
        List<FaultBackend> runs = new ArrayList<>();
        List<WorkerProcess> paused = new ArrayList<>();
        // one space, one job and one worker JVM per window, all at once: the JVMs start in parallel
        for (int w = 0; w < windows.size(); w++) {
            BackendSpec spec = newSpec("pause" + w);
            FaultBackend backend = open(spec, Duration.ofMillis(leaseMillis));
            putJob(backend, 0);
            runs.add(backend);
            WorkerProcess worker = WorkerProcess.start(dir.resolve(windows.get(w)), "paused", spec, leaseMillis, 20,
                    1, 10_000, "sleep", List.of("-D" + PausePoints.PROPERTY + "=" + windows.get(w)));
            processes.add(worker);
            paused.add(worker);
        }
        List<String> pausedOn = new ArrayList<>();
        for (int w = 0; w < windows.size(); w++) {
            Path steps = dir.resolve(windows.get(w)).resolve("paused.steps");
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                    .until(() -> pausedMark(steps) != null);
            paused.get(w).kill();
            pausedOn.add(pausedMark(steps));
        }
        // every killed delivery is visible again before the rescuers start, so a message the killed
        // worker left behind (SQS: the next step put, not acked) and the redelivery meet
        BackendRestartScenario.hold(Duration.ofMillis(leaseMillis + 500));
        List<Ergate> rescuers = new ArrayList<>();
        try {
            for (int w = 0; w < windows.size(); w++) {
                StepLog log = new StepLog(dir.resolve(windows.get(w)).resolve("rescuer.steps"));
                closeables.add(log);
                Ergate rescuer = Ergate.builder(runs.get(w).queue(), runs.get(w).store())
                        .options(ErgateOptions.builder().concurrency(2).pollTimeout(Duration.ofMillis(200))
                                .backendRetryDelays(Duration.ofMillis(50), Duration.ofSeconds(1))
                                .handleSignals(false).build())
                        .build();
                rescuers.add(rescuer);
                rescuer.registerWorkflow(FaultWorkflow.build(log, 200, null)); // long enough for two chains to overlap
                rescuer.start();
            }
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> runs.stream().allMatch(b -> Outcome.finalCount(b.store(), 1) == 1 && b.queued() == 0));
        } finally {
            for (Ergate rescuer : rescuers) {
                rescuer.close();
            }
        }
        int duplicates = 0;
        List<String> how = new ArrayList<>();
        for (int w = 0; w < windows.size(); w++) {
            String window = windows.get(w);
            List<StepLog.Event> events = StepLog.readAll(dir.resolve(window));
            Outcome outcome = Outcome.of(Outcome.lost(runs.get(w).store(), 1), events);
            Set<String> killedRan = events.stream().filter(e -> e.file().equals("paused.steps")
                    && e.kind().equals("START")).map(e -> e.jobId() + ":" + e.step()).collect(Collectors.toSet());
            how.add(window + " (" + pausedOn.get(w) + "): " + outcome.duplicates() + " extra");
            duplicates += outcome.duplicates();
            assertThat(outcome.lost()).as("lost after a kill at %s", window).isEmpty();
            assertThat(Outcome.distinctSteps(events)).as("steps run after a kill at %s", window).isEqualTo(3L);
            // the bound per fault: one kill costs at most one more run of the one step it cut off
            assertThat(outcome.duplicates()).as("extra step runs after a kill at %s %s", window, outcome.repeated())
                    .isLessThanOrEqualTo(1);
            assertThat(outcome.repeated().keySet()).as("steps run again after a kill at %s: only one the killed"
                    + " worker had run", window).isSubsetOf(killedRan);
            assertThat(runs.get(w).deadLetters()).as("dead letters after a kill at %s", window).isEmpty();
        }
        LOG.info("{}: kills at pause points: {}", backendName(), how);
        Figures.record(new Figures.Row("7 SIGKILL at a pause point", backendName(), scale.name(), windows.size(),
                windows.size() + " SIGKILL: " + String.join(", ", windows), 0, duplicates,
                "each job completed, at most 1 extra run per kill", (System.currentTimeMillis() - began) / 1000));
    }

    /** @return {@code <point>:<job id>} of the pause mark in a step log, or null if none yet */
    static @Nullable String pausedMark(Path steps) throws Exception {
        if (!Files.exists(steps)) {
            return null;
        }
        for (String line : Files.readAllLines(steps)) {
            String[] parts = line.split(" ");
            if (parts.length == 4 && parts[0].equals("MARK") && parts[1].startsWith(FaultWorker.PAUSED_MARK)) {
                return parts[1].substring(FaultWorker.PAUSED_MARK.length());
            }
        }
        return null;
    }



    /** The scenarios aimed at windows issue 14 closed; a backend runs those {@link #windows()} lists. */
    enum Window {
        /** An old worker gives back jobs of a workflow it lacks; a new one completes them. */
        ROLLING_DEPLOY,
        /** Cancels of jobs in every state during a run; none stays CANCELLING. */
        CANCELS_DURING_RUN,
        /** Workers with clocks 2 minutes ahead and behind: no stolen lease, no early start. */
        SKEWED_CLOCKS
    }

    /**
     * @return the window scenarios that hold on this backend; one left out names, in a comment in
     *     the subclass, the defect still open there (its test then reports itself skipped with why)
     */
    protected Set<Window> windows() {
        return java.util.EnumSet.allOf(Window.class);
    }

    /** @return why a window scenario is left out on this backend (the open defect) */
    protected String whyNot(Window window) {
        return "left out on " + backendName();
    }

    private void requireWindow(Window window) {
        org.junit.jupiter.api.Assumptions.assumeTrue(windows().contains(window),
                () -> window + " not run on " + backendName() + ": " + whyNot(window));
    }

    @Test
    @DisplayName("rolling deploy: an old worker without a new workflow gives its jobs back during the grace; a new one completes them, none FAILED")
    void rollingDeploy() throws Exception {
        requireWindow(Window.ROLLING_DEPLOY);
        RollingDeployScenario.run(backendName(), scale, open(newSpec("deploy"), Duration.ofMillis(LEASE_MILLIS)),
                runDir("deploy-" + backendName()));
    }

    @Test
    @DisplayName("cancels during a run, of jobs in every state: each ends CANCELLED (or COMPLETED), none stays CANCELLING")
    void cancelsDuringRun() throws Exception {
        requireWindow(Window.CANCELS_DURING_RUN);
        CancelStormScenario.run(backendName(), scale, open(newSpec("cancel"), Duration.ofMillis(LEASE_MILLIS)),
                runDir("cancel-" + backendName()));
    }

    @Test
    @DisplayName("worker clocks 2 minutes ahead and behind: no live lease taken over, no job started early")
    void skewedClocks() throws Exception {
        requireWindow(Window.SKEWED_CLOCKS);
        BackendSpec spec = newSpec("clock");
        FaultBackend backend = open(spec, Duration.ofMillis(ClockSkewScenario.LEASE_MILLIS));
        Path dir = runDir("clock-" + backendName());
        ClockSkewScenario.run(backendName(), scale, backend, dir, (name, offset) -> {
            WorkerProcess worker = WorkerProcess.start(dir, name, spec, ClockSkewScenario.LEASE_MILLIS, 50,
                    WORKER_THREADS, 10_000, "sleep", List.of("-D" + FaultWorker.CLOCK_OFFSET_PROPERTY + "=" + offset,
                            "-D" + FaultWorker.FIRST_STEP_PROPERTY + "=" + ClockSkewScenario.FIRST_STEP_MILLIS));
            processes.add(worker);
            return worker;
        });
    }

    @Test
    @DisplayName("hostile input: each bad message ends dead-lettered or FAILED with a reason; good jobs interleaved finish")
    void hostileInput() throws Exception {
        long began = System.currentTimeMillis();
        Files.deleteIfExists(Path.of(HostileMessages.GADGET_MARKER));
        BackendSpec spec = newSpec("hostile");
        FaultBackend backend = open(spec, Duration.ofMillis(LEASE_MILLIS));
        Path dir = runDir("hostile-" + backendName());
        int good = scale.hostileGoodJobs();
        List<HostileMessages.Hostile> hostile = HostileMessages.all(true);
        Map<String, String> refused = new HashMap<>(); // label -> why the server refused it at the door
        try (StepLog log = new StepLog(dir.resolve("in-process.steps"));
                Ergate worker = Ergate.builder(backend.queue(), backend.store())
                        .options(ErgateOptions.builder().concurrency(2).pollTimeout(Duration.ofMillis(300))
                                .maxDeliveries(3).backendRetryDelays(Duration.ofMillis(50), Duration.ofSeconds(1))
                                .handleSignals(false).build())
                        .build()) {
            worker.registerWorkflow(FaultWorkflow.build(log, 2, null));
            worker.start();
            int next = 0;
            for (HostileMessages.Hostile bad : hostile) { // good jobs before, between and after
                for (int i = 0; i < good / (hostile.size() + 1); i++) {
                    putJob(backend, next++);
                }
                String refusal = backend.putRaw(bad.bytes());
                if (refusal != null) {
                    refused.put(bad.label(), refusal);
                }
            }
            while (next < good) {
                putJob(backend, next++);
            }
            // pushed raw, as a foreign producer would: its start time is in the body only
            Job future = Job.builder().id(FUTURE_JOB).workflowName(FaultWorkflow.NAME)
                    .initialInputValue(IntNode.valueOf(1)).requestedStartTime(Instant.now().plusSeconds(3)).build();
            backend.store().update(future);
            assertThat(backend.putRaw(JobCodec.standard().encode(future))).as("raw push of a future job").isNull();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(300))
                    .until(() -> Outcome.finalCount(backend.store(), good) == good
                            && backend.store().find(JobId.of(FUTURE_JOB)).map(j -> j.status().isFinal()).orElse(false)
                            && hostile.stream().allMatch(bad -> settled(backend, bad, refused) != null));
            Instant due = Objects.requireNonNull(future.requestedStartTime());
            assertThat(backend.store().find(JobId.of(FUTURE_JOB)).map(Job::status)).as("the raw-pushed future job")
                    .contains(JobStatus.COMPLETED);
            assertThat(StepLog.readAll(dir).stream().filter(e -> e.kind().equals("START")
                    && e.jobId().equals(FUTURE_JOB)).mapToLong(StepLog.Event::atMillis).min().orElseThrow())
                    .as("first step of a raw-pushed job due at %s: never before its time", due)
                    .isGreaterThanOrEqualTo(due.toEpochMilli());
            assertThat(worker.isRunning()).as("the worker is still up").isTrue();
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300))
                    .until(() -> backend.queued() == 0);
        }
        List<String> lost = Outcome.lost(backend.store(), good);
        assertThat(lost).as("good jobs lost or wrong").isEmpty();
        List<String> how = new ArrayList<>();
        for (HostileMessages.Hostile bad : hostile) {
            String settled = settled(backend, bad, refused);
            assertThat(settled).as("what became of the %s", bad.label()).isNotNull();
            how.add(bad.label() + " -> " + settled);
        }
        LOG.info("{}: hostile messages: {}", backendName(), how);
        assertThat(Path.of(HostileMessages.GADGET_MARKER)).as("no class named in JSON was run").doesNotExist();
        System.gc();
        long usedMiB = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / (1024 * 1024);
        LOG.info("{}: heap used after the hostile run and a GC: {} MiB", backendName(), usedMiB);
        assertThat(usedMiB).as("heap used after a GC (MiB)").isLessThan(400);
        Figures.record(new Figures.Row("4 hostile input", backendName(), scale.name(), good + hostile.size(),
                hostile.size() + " hostile messages", lost.size(), 0, "worker stayed up; heap " + usedMiB + " MiB after GC",
                (System.currentTimeMillis() - began) / 1000));
    }

    @Test
    @DisplayName("SIGTERM under load: running steps finish and are recorded, nothing new starts, the JVM exits within the drain timeout")
    void sigtermUnderLoad() throws Exception {
        long began = System.currentTimeMillis();
        long stepMillis = 300;
        long drainMillis = 10_000;
        BackendSpec spec = newSpec("term");
        FaultBackend backend = open(spec, Duration.ofMillis(LEASE_MILLIS));
        Feeder feeder = new Feeder(backend, 4 * 2 * WORKER_THREADS, scale.termJobs());
        closeables.add(feeder);
        Path dir = runDir("term-" + backendName());
        WorkerProcess[] slots = {startWorker(dir, "w0-0", spec, stepMillis, drainMillis),
                startWorker(dir, "w1-0", spec, stepMillis, drainMillis)};
        List<String> terminated = new ArrayList<>();
        long longestExit = 0;
        for (int t = 0; t < scale.terms(); t++) {
            int victim = t % slots.length;
            WorkerProcess target = slots[victim];
            Path steps = dir.resolve(target.name() + ".steps");
            WorkerProcess[] now = slots.clone();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(15))
                    .until(() -> midStep(steps) && anotherRunning(dir, now, victim));
            long sent = target.terminate();
            java.util.OptionalInt exit = target.awaitExit(Duration.ofMillis(drainMillis + 20_000));
            long took = System.currentTimeMillis() - sent;
            assertThat(exit).as("%s exited after SIGTERM", target.name()).isPresent();
            longestExit = Math.max(longestExit, took);
            terminated.add(target.name());
            LOG.info("{}: SIGTERM {} exited {} after {} ms", backendName(), target.name(), exit, took);
            slots[victim] = startWorker(dir, "w" + victim + "-" + (t / slots.length + 1), spec, stepMillis,
                    drainMillis);
        }
        feeder.enough();
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> feeder.put.get() >= scale.termJobs());
        int jobs;
        try (feeder) {
            jobs = feeder.stop();
        }
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                .until(() -> backend.queued() == 0 && Outcome.finalCount(backend.store(), jobs) == jobs);
        long finished = System.currentTimeMillis();
        for (WorkerProcess slot : slots) {
            slot.kill();
        }

        for (String name : terminated) {
            List<String> lines = Files.readAllLines(dir.resolve(name + ".steps"));
            long term = lines.stream().filter(l -> l.startsWith("MARK TERM ")).mapToLong(l -> Long.parseLong(
                    l.split(" ")[3])).findFirst().orElseThrow(() -> new AssertionError(name + " never saw SIGTERM"));
            assertThat(midStep(dir.resolve(name + ".steps"))).as("%s left a step unfinished", name).isFalse();
            assertThat(lines).as("%s started no step after SIGTERM", name).noneMatch(l -> l.startsWith("START ")
                    && Long.parseLong(l.split(" ")[3]) > term + 200);
        }
        List<StepLog.Event> events = StepLog.readAll(dir);
        Outcome outcome = Outcome.of(Outcome.lost(backend.store(), jobs), events);
        Figures.record(new Figures.Row("5 SIGTERM under load", backendName(), scale.name(), jobs,
                terminated.size() + " SIGTERM", outcome.lost().size(), outcome.duplicates(),
                "slowest exit " + longestExit + " ms (drain timeout " + drainMillis + " ms)", (finished - began) / 1000));
        assertThat(outcome.lost()).as("lost jobs").isEmpty();
        assertThat(outcome.duplicates()).as("steps run twice %s (a drained step is recorded)", outcome.repeated())
                .isZero();
        assertThat(longestExit).as("slowest exit after SIGTERM (ms)").isLessThan(drainMillis + 20_000);
    }

    @Test
    @DisplayName("slow step: with extension it keeps its lease; without, the duplicate run is counted; a step timeout fails the job")
    void slowStep() throws Exception {
        long began = System.currentTimeMillis();
        Duration lease = Duration.ofSeconds(2); // whole seconds: SQS leases can't be shorter
        long stepMillis = 4_000;
        BackendSpec spec = newSpec("slow");
        FaultBackend backend = open(spec, lease);
        Path dir = runDir("slow-" + backendName());
        ErgateOptions options = ErgateOptions.builder().concurrency(2).pollTimeout(Duration.ofMillis(200))
                .maxDeliveries(3).handleSignals(false).build();
        // 1. extension on: one job whose steps each outlive the lease 2.6 times runs each step once
        try (StepLog log = new StepLog(dir.resolve("extended.steps"));
                Ergate worker = Ergate.builder(backend.queue(), backend.store()).options(options).build()) {
            worker.registerWorkflow(FaultWorkflow.build(log, stepMillis, null));
            putJob(backend, 0);
            worker.start();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Outcome.finalCount(backend.store(), 1) == 1);
        }
        Outcome extended = Outcome.of(Outcome.lost(backend.store(), 1), StepLog.readAll(dir));
        assertThat(extended.lost()).as("job with extended leases").isEmpty();
        assertThat(extended.duplicates()).as("duplicate runs with extension on").isZero();

        // 2. extension off: the same step is handed out again while it runs, and counted
        Path offDir = dir.resolve("off");
        try (StepLog log = new StepLog(offDir.resolve("not-extended.steps"));
                Ergate worker = Ergate.builder(new NoExtendQueue(backend.queue()), backend.store())
                        .options(options).build()) {
            worker.registerWorkflow(FaultWorkflow.build(log, stepMillis, null));
            putJob(backend, 1);
            worker.start();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Outcome.of(List.of(), StepLog.readAll(offDir)).duplicates() >= 1);
        }
        int offDuplicates = Outcome.of(List.of(), StepLog.readAll(offDir)).duplicates();
        assertThat(offDuplicates).as("duplicate runs with extension off").isGreaterThanOrEqualTo(1);

        // 3. a step timeout fails the job with a reason naming the timeout
        Path timeoutDir = dir.resolve("timeout");
        try (StepLog log = new StepLog(timeoutDir.resolve("timeout.steps"));
                Ergate worker = Ergate.builder(backend.queue(), backend.store()).options(options).build()) {
            worker.registerWorkflow(FaultWorkflow.build(log, stepMillis, Duration.ofMillis(300)));
            putJob(backend, 2);
            worker.start();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> backend.store().find(JobId.of(Outcome.jobId(2))).map(j -> j.status().isFinal())
                            .orElse(false));
        }
        Job timedOut = backend.store().find(JobId.of(Outcome.jobId(2))).orElseThrow();
        assertThat(timedOut.status()).as("job whose step timed out").isEqualTo(JobStatus.FAILED);
        assertThat(timedOut.exceptionTraceback()).as("its reason").containsIgnoringCase("time");
        Figures.record(new Figures.Row("3 slow step (4 s step, 2 s lease)", backendName(), scale.name(), 3,
                "extension on / off / 300 ms timeout", extended.lost().size(), offDuplicates,
                "on: 0 duplicates; off: " + offDuplicates + " counted; timeout: FAILED",
                (System.currentTimeMillis() - began) / 1000));
    }

    @Test
    @DisplayName("a step that ignores interrupts, on SIGTERM: the JVM still exits by its drain timeout, the job runs elsewhere, the duplicate is counted")
    void stubbornStepOnSigterm() throws Exception {
        long began = System.currentTimeMillis();
        long drainMillis = 3_000;
        int jobs = 2;
        BackendSpec spec = newSpec("stubborn");
        FaultBackend backend = open(spec, Duration.ofMillis(LEASE_MILLIS));
        Path dir = runDir("stubborn-" + backendName());
        putJobs(backend, jobs);
        // two threads, each stuck in a step that ignores interrupts for far longer than the drain timeout
        WorkerProcess stuck = startWorker(dir, "stuck", spec, 120_000, drainMillis, jobs, "stubborn");
        Path stuckSteps = dir.resolve(stuck.name() + ".steps");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                .until(() -> openSteps(stuckSteps) == jobs);
        long sent = stuck.terminate();
        OptionalInt exit = stuck.awaitExit(Duration.ofMillis(drainMillis + 30_000));
        long took = System.currentTimeMillis() - sent;
        assertThat(exit).as("the stuck worker exited after SIGTERM").isPresent();
        WorkerProcess rescuer = startWorker(dir, "rescuer", spec, 40, 10_000);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> Outcome.finalCount(backend.store(), jobs) == jobs && backend.queued() == 0);
        long rescued = StepLog.readAll(dir).stream().filter(e -> e.file().equals(rescuer.name() + ".steps")
                && e.kind().equals("START")).mapToLong(StepLog.Event::atMillis).min().orElseThrow();
        rescuer.kill();

        List<StepLog.Event> events = StepLog.readAll(dir);
        Outcome outcome = Outcome.of(Outcome.lost(backend.store(), jobs), events);
        Figures.record(new Figures.Row("6 stubborn step on SIGTERM (ignores interrupts, drain 3 s)", backendName(),
                scale.name(), jobs, "1 SIGTERM, " + jobs + " stuck steps", outcome.lost().size(), outcome.duplicates(),
                "exit " + took + " ms after SIGTERM; re-run " + (rescued - sent) + " ms after it",
                (System.currentTimeMillis() - began) / 1000));
        assertThat(outcome.lost()).as("lost jobs").isEmpty();
        assertThat(openSteps(stuckSteps)).as("steps the stuck worker never finished").isEqualTo(jobs);
        assertThat(outcome.duplicates()).as("stuck steps run again elsewhere %s", outcome.repeated()).isEqualTo(jobs);
        // the drain timeout bounds the exit: the cut-off step's delivery is released, its thread is not waited for
        assertThat(took).as("ms from SIGTERM to exit (drain timeout %d ms)", drainMillis).isLessThan(drainMillis + 3_000);
    }

    @Test
    @DisplayName("a step that ignores interrupts past its timeout: the job is retried and completes while the stuck run goes on; the duplicate is counted")
    void stubbornStepTimeout() throws Exception {
        long began = System.currentTimeMillis();
        long stuckMillis = 30_000;
        BackendSpec spec = newSpec("stubtimeout");
        FaultBackend backend = open(spec, Duration.ofMillis(LEASE_MILLIS));
        Path dir = runDir("stubtimeout-" + backendName());
        AtomicBoolean firstRun = new AtomicBoolean(true);
        FaultWorkflow.Work stuckOnce = (jobId, step, millis) -> {
            if (step == 0 && firstRun.getAndSet(false)) {
                FaultWorkflow.STUBBORN.work(jobId, step, stuckMillis);
            } else {
                FaultWorkflow.SLEEP.work(jobId, step, millis);
            }
        };
        RetryPolicy retry = RetryPolicy.builder().maxAttempts(2)
                .initialDelay(Duration.ofMillis(100)).build();
        Path logFile = dir.resolve("in-process.steps");
        long completedAt;
        StepLog log = new StepLog(logFile); // not closed: the stuck run writes its END after the test
        try (Ergate worker = Ergate.builder(backend.queue(), backend.store())
                .options(ErgateOptions.builder().concurrency(2).pollTimeout(Duration.ofMillis(300))
                        .drainTimeout(Duration.ofSeconds(1)).handleSignals(false).build())
                .build()) {
            worker.registerWorkflow(FaultWorkflow.build(log, 40, Duration.ofMillis(500), stuckOnce, retry));
            putJob(backend, 0);
            worker.start();
            await().atMost(Duration.ofMillis(stuckMillis - 5_000)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Outcome.finalCount(backend.store(), 1) == 1);
            completedAt = System.currentTimeMillis();
            // the job ended while the stuck run still holds its thread: the timeout did not wait for it
            assertThat(midStep(logFile)).as("the stuck first run is still running").isTrue();
        }
        Outcome outcome = Outcome.of(Outcome.lost(backend.store(), 1), StepLog.readAll(dir));
        Figures.record(new Figures.Row("6 stubborn step past its timeout (500 ms timeout, 2 attempts)", backendName(),
                scale.name(), 1, "1 step ignoring interrupts for " + stuckMillis / 1000 + " s", outcome.lost().size(),
                outcome.duplicates(), "completed " + (completedAt - began) + " ms after start, stuck run still going",
                (System.currentTimeMillis() - began) / 1000));
        assertThat(outcome.lost()).as("lost or wrong").isEmpty();
        assertThat(outcome.duplicates()).as("the timed-out step ran again %s", outcome.repeated()).isEqualTo(1);
    }

    /**
     * @return how the hostile message ended (refused by the server, dead letter or FAILED, with the
     *     reason), or null if not yet
     */
    static @Nullable String settled(FaultBackend backend, HostileMessages.Hostile bad, Map<String, String> refused) {
        if (refused.containsKey(bad.label())) {
            return firstLine(refused.get(bad.label()));
        }
        Optional<Job> job = backend.store().find(JobId.of(bad.jobId()));
        if (job.isPresent() && job.get().status() == JobStatus.COMPLETED
                && bad.ending() == HostileMessages.Ending.REASON_OR_COMPLETED) {
            return "COMPLETED";
        }
        if (job.isPresent() && job.get().status() == JobStatus.FAILED && bad.ending() != HostileMessages.Ending.DEAD_LETTER) {
            String trace = job.get().exceptionTraceback();
            return trace == null || trace.isBlank() ? null : "FAILED: " + firstLine(trace);
        }
        for (FaultBackend.Dead dead : backend.deadLetters()) {
            if (dead.text().startsWith(bad.textStart()) && !dead.reason().isBlank()) {
                return "dead letter: " + firstLine(dead.reason());
            }
        }
        return null;
    }

    private static String firstLine(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }

    /** @return true when a worker other than {@code victim} is alive and has started working */
    static boolean anotherRunning(Path dir, WorkerProcess[] slots, int victim) throws Exception {
        for (int s = 0; s < slots.length; s++) {
            Path steps = dir.resolve(slots[s].name() + ".steps");
            if (s != victim && slots[s].isAlive() && Files.exists(steps)
                    && Files.readString(steps).contains("MARK READY")) {
                return true;
            }
        }
        return false;
    }

    /** @return true when the step log's last START of some step has no END yet */
    static boolean midStep(Path steps) throws Exception {
        return openSteps(steps) > 0;
    }

    /** @return how many (job, step) in the step log have a START and no END after it */
    static int openSteps(Path steps) throws Exception {
        if (!Files.exists(steps)) {
            return 0;
        }
        Map<String, Integer> running = new HashMap<>(); // (job, step) -> STARTs less ENDs
        for (String line : Files.readAllLines(steps)) {
            String[] parts = line.split(" ");
            if (parts.length != 4) {
                continue;
            }
            String key = parts[1] + ":" + parts[2];
            if (parts[0].equals("START")) {
                running.merge(key, 1, Integer::sum);
            } else if (parts[0].equals("END")) {
                running.merge(key, -1, Integer::sum);
            }
        }
        return running.values().stream().mapToInt(n -> Math.max(0, n)).sum();
    }

    /**
     * @return the longest time from a SIGKILL to the next start, in another worker, of a step the
     *     killed worker had started (its lease had to run out first)
     */
    static long maxRerunWait(List<StepLog.Event> events, Map<String, Long> killedAt) {
        long max = 0;
        for (StepLog.Event started : events) {
            Long kill = killedAt.get(started.file());
            if (kill == null || !started.kind().equals("START")) {
                continue;
            }
            long next = Long.MAX_VALUE;
            for (StepLog.Event other : events) {
                if (other.kind().equals("START") && !other.file().equals(started.file())
                        && other.jobId().equals(started.jobId()) && other.step().equals(started.step())
                        && other.atMillis() >= kill) {
                    next = Math.min(next, other.atMillis());
                }
            }
            if (next != Long.MAX_VALUE) {
                max = Math.max(max, next - kill);
            }
        }
        return max;
    }
}
