package dev.ergate.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Worker JVMs whose clocks are 2 minutes off ({@value FaultWorker#CLOCK_OFFSET_PROPERTY}, for
 * Ergate and the adapters alike): one behind starts first and holds the first jobs in steps that
 * outlive the lease (kept by extension), then one ahead joins, with free threads while those
 * leases are live; half the jobs are due a few seconds after they are put. No step may run twice
 * (no lease stolen) and no job before its start time (no early start): leases and due times come
 * from the backend's clock, not the worker's. Step times in the step logs are the true clock's.
 */
final class ClockSkewScenario {

    static final Duration SKEW = Duration.ofMinutes(2);
    static final long LEASE_MILLIS = 2_000;
    /** The first step of every job outlives the lease 1.25 times (kept by extension at half the lease). */
    static final long FIRST_STEP_MILLIS = 2_500;
    static final long DUE_IN_MILLIS = 4_000;

    private ClockSkewScenario() {
    }

    interface Workers {
        WorkerProcess start(String name, long clockOffsetMillis) throws Exception;
    }

    static void run(String backendName, FaultScale scale, FaultBackend backend, Path dir, Workers workers)
            throws Exception {
        long began = System.currentTimeMillis();
        int jobs = scale.skewJobs();
        int now = jobs / 2;
        for (int n = 0; n < now; n++) {
            FaultScenarios.putJob(backend, n);
        }
        WorkerProcess behind = workers.start("behind", -SKEW.toMillis());
        // the slow clock holds steps first: the fast one must not take their leases over
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                .until(() -> FaultScenarios.openSteps(dir.resolve("behind.steps")) > 0);
        WorkerProcess ahead = workers.start("ahead", SKEW.toMillis());
        Instant due = Instant.now().plusMillis(DUE_IN_MILLIS);
        for (int n = now; n < jobs; n++) {
            Job later = Job.builder().id(Outcome.jobId(n)).workflowName(FaultWorkflow.NAME)
                    .initialInputValue(IntNode.valueOf(n)).requestedStartTime(due).build();
            backend.store().update(later);
            backend.queue().put(later);
        }
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> Outcome.finalCount(backend.store(), jobs) == jobs && backend.queued() == 0);
        long finished = System.currentTimeMillis();
        behind.kill();
        ahead.kill();
        List<StepLog.Event> events = StepLog.readAll(dir);
        Outcome outcome = Outcome.of(Outcome.lost(backend.store(), jobs), events);
        long firstDueStart = Long.MAX_VALUE;
        List<String> early = new ArrayList<>();
        for (StepLog.Event e : events) {
            if (e.kind().equals("START") && jobNumber(e.jobId()) >= now) {
                firstDueStart = Math.min(firstDueStart, e.atMillis());
                if (e.atMillis() < due.toEpochMilli()) {
                    early.add(e.jobId() + ":" + e.step() + " in " + e.file() + " " + (due.toEpochMilli() - e.atMillis())
                            + " ms early");
                }
            }
        }
        long aheadStarts = events.stream().filter(e -> e.kind().equals("START") && e.file().equals("ahead.steps")).count();
        long behindStarts = events.stream().filter(e -> e.kind().equals("START") && e.file().equals("behind.steps")).count();
        Figures.record(new Figures.Row("8 worker clocks 2 min off", backendName, scale.name(), jobs,
                "clocks -2 min and +2 min (" + behindStarts + " and " + aheadStarts + " steps)",
                outcome.lost().size(), outcome.duplicates(), "jobs due at +" + DUE_IN_MILLIS / 1000
                        + " s first started " + (firstDueStart - due.toEpochMilli()) + " ms after their time",
                (finished - began) / 1000));
        assertThat(outcome.lost()).as("lost jobs").isEmpty();
        assertThat(Outcome.distinctSteps(events)).as("(job, step) pairs that ran").isEqualTo(3L * jobs);
        assertThat(outcome.duplicates()).as("steps run twice: a lease taken over by a skewed clock %s",
                outcome.repeated()).isZero();
        assertThat(early).as("steps started before their job's start time %s", due).isEmpty();
        assertThat(aheadStarts).as("steps run by the worker 2 minutes ahead").isPositive();
        assertThat(backend.deadLetters()).as("dead letters").isEmpty();
    }

    private static int jobNumber(String jobId) {
        return Integer.parseInt(jobId.substring(jobId.lastIndexOf('-') + 1));
    }
}
