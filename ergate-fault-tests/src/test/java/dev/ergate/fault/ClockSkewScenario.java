package dev.ergate.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Workers whose clocks are 2 minutes off (an injected {@link Clock}, in Ergate and in the
 * adapters), next to one whose clock is right: a step held by a worker 2 minutes behind, or by the
 * right one, outlives the lease 2 times (kept by extension) while a worker 2 minutes ahead takes
 * jobs; a job due 4 s after it is put is taken by that worker too. No step may run twice (no
 * stolen lease) and none before its start time (no early start). Leases and due times must come
 * from the backend's clock, not the worker's.
 */
final class ClockSkewScenario {

    static final Duration SKEW = Duration.ofMinutes(2);
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final long HELD_MILLIS = 4_000;

    private ClockSkewScenario() {
    }

    /**
     * @param open opens the run's backend with the adapters on a given clock (closed by the caller)
     */
    static void run(String backendName, FaultScale scale, Path dir,
            BiFunction<Duration, Clock, FaultBackend> open) throws Exception {
        long began = System.currentTimeMillis();
        Clock right = Clock.systemUTC();
        Clock behind = Clock.offset(right, SKEW.negated());
        Clock ahead = Clock.offset(right, SKEW);
        FaultBackend truth = open.apply(LEASE, right);
        FaultWorkflow.Work work = (jobId, step, millis) -> Thread.sleep(step == 0
                && (jobId.equals(Outcome.jobId(0)) || jobId.equals(Outcome.jobId(1))) ? HELD_MILLIS : millis);
        List<Ergate> workers = new ArrayList<>();
        Instant due;
        try {
            // job 0: held by the right clock's only thread; job 1: by the slow clock's only thread
            workers.add(worker(open.apply(LEASE, right), right, 1, dir.resolve("right.steps"), work));
            FaultScenarios.putJob(truth, 0);
            awaitStart(dir.resolve("right.steps"), 0);
            workers.add(worker(open.apply(LEASE, behind), behind, 1, dir.resolve("behind.steps"), work));
            FaultScenarios.putJob(truth, 1);
            awaitStart(dir.resolve("behind.steps"), 1);
            // then the fast clock, with a job due 4 s from now (by the right clock)
            workers.add(worker(open.apply(LEASE, ahead), ahead, 2, dir.resolve("ahead.steps"), work));
            due = right.instant().plusSeconds(4);
            Job later = Job.builder().id(Outcome.jobId(2)).workflowName(FaultWorkflow.NAME)
                    .initialInputValue(IntNode.valueOf(2)).requestedStartTime(due).build();
            truth.store().update(later);
            truth.queue().put(later);
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Outcome.finalCount(truth.store(), 3) == 3 && truth.queued() == 0);
        } finally {
            for (Ergate worker : workers) {
                worker.close();
            }
        }
        List<StepLog.Event> events = StepLog.readAll(dir);
        Outcome outcome = Outcome.of(Outcome.lost(truth.store(), 3), events);
        long firstStart = events.stream().filter(e -> e.kind().equals("START") && e.jobId().equals(Outcome.jobId(2)))
                .mapToLong(StepLog.Event::atMillis).min().orElseThrow();
        Figures.record(new Figures.Row("8 worker clocks 2 min off", backendName, scale.name(), 3,
                "clocks -2 min, right, +2 min", outcome.lost().size(), outcome.duplicates(),
                "job due at +4 s started " + (firstStart - due.toEpochMilli()) + " ms after its time",
                (System.currentTimeMillis() - began) / 1000));
        assertThat(outcome.lost()).as("lost jobs").isEmpty();
        assertThat(outcome.duplicates()).as("steps run twice: a lease stolen by a skewed clock %s", outcome.repeated())
                .isZero();
        assertThat(firstStart).as("first step of the job due at %s (ms, by the right clock)", due)
                .isGreaterThanOrEqualTo(due.toEpochMilli());
    }

    private static Ergate worker(FaultBackend backend, Clock clock, int threads, Path steps,
            FaultWorkflow.Work work) {
        StepLog log = new StepLog(steps);
        Ergate worker = Ergate.builder(backend.queue(), backend.store())
                .options(ErgateOptions.builder().concurrency(threads).pollTimeout(Duration.ofMillis(200))
                        .clock(clock).handleSignals(false).build())
                .build();
        worker.registerWorkflow(FaultWorkflow.build(log, 20, null, work, null));
        worker.start();
        return worker;
    }

    private static void awaitStart(Path steps, int job) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> StepLog.readAll(steps.getParent()).stream().anyMatch(e -> e.kind().equals("START")
                        && e.file().equals(steps.getFileName().toString()) && e.jobId().equals(Outcome.jobId(job))));
    }
}
