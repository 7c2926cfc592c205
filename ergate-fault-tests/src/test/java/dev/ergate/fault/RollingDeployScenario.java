package dev.ergate.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A rolling deploy: a worker of the old release (it knows the workflow {@value FaultWorkflow#NAME}
 * only) runs alone while jobs of a new workflow are already submitted, then a worker of the new
 * release (both workflows) joins. The old worker must give the new jobs back, not fail them: every
 * job of both workflows ends COMPLETED, none FAILED, no dead letter.
 */
final class RollingDeployScenario {

    static final String NEW_WORKFLOW = "fault-v2";
    private static final int JOBS = 20;

    private RollingDeployScenario() {
    }

    static void run(String backendName, FaultScale scale, FaultBackend backend, Path dir) throws Exception {
        long began = System.currentTimeMillis();
        ErgateOptions options = ErgateOptions.builder().concurrency(2).pollTimeout(Duration.ofMillis(200))
                .backendRetryDelays(Duration.ofMillis(50), Duration.ofSeconds(1)).handleSignals(false).build();
        try (StepLog oldLog = new StepLog(dir.resolve("old.steps"));
                StepLog newLog = new StepLog(dir.resolve("new.steps"));
                Ergate old = Ergate.builder(backend.queue(), backend.store()).options(options).build();
                Ergate next = Ergate.builder(backend.queue(), backend.store()).options(options).build()) {
            old.registerWorkflow(FaultWorkflow.build(oldLog, 10, null));
            next.registerWorkflow(FaultWorkflow.build(newLog, 10, null));
            next.registerWorkflow(FaultWorkflow.build(NEW_WORKFLOW, newLog, 10, null, FaultWorkflow.SLEEP, null));
            for (int n = 0; n < JOBS; n++) { // the new release's jobs first, then the old one's
                put(backend, NEW_WORKFLOW, newJobId(n), n);
            }
            FaultScenarios.putJobs(backend, JOBS);
            old.start();
            // the old worker has taken every job once: its own are done, the new ones went by it
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Outcome.finalCount(backend.store(), JOBS) == JOBS);
            next.start();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> finalNew(backend) == JOBS && backend.queued() == 0);
        }
        List<String> failed = new ArrayList<>(Outcome.lost(backend.store(), JOBS));
        for (int n = 0; n < JOBS; n++) {
            Optional<Job> job = backend.store().find(JobId.of(newJobId(n)));
            if (job.isEmpty() || job.get().status() != JobStatus.COMPLETED
                    || job.get().lastReturnValue().asInt() != FaultWorkflow.expected(n)) {
                failed.add(newJobId(n) + ": " + job.map(j -> j.status() + " " + firstLine(j.exceptionTraceback()))
                        .orElse("not in the store"));
            }
        }
        Figures.record(new Figures.Row("9 rolling deploy (old worker lacks a new workflow)", backendName, scale.name(),
                2 * JOBS, JOBS + " jobs of a workflow the old worker lacks", failed.size(), 0,
                "new worker joined after the old one had seen every job", (System.currentTimeMillis() - began) / 1000));
        assertThat(failed).as("jobs not COMPLETED (an old worker must give back what it can't run)").isEmpty();
        assertThat(backend.deadLetters()).as("dead letters").isEmpty();
    }

    static String newJobId(int n) {
        return "job-v2-" + n;
    }

    private static void put(FaultBackend backend, String workflow, String id, int n) {
        Job job = Job.builder().id(id).workflowName(workflow).initialInputValue(IntNode.valueOf(n)).build();
        backend.store().update(job);
        backend.queue().put(job);
    }

    private static int finalNew(FaultBackend backend) {
        int done = 0;
        for (int n = 0; n < JOBS; n++) {
            if (backend.store().find(JobId.of(newJobId(n))).map(j -> j.status().isFinal()).orElse(false)) {
                done++;
            }
        }
        return done;
    }

    private static String firstLine(@org.jspecify.annotations.Nullable String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }
}
