package dev.ergate.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.JobQueue;
import dev.ergate.testkit.ForwardingJobQueue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A rolling deploy: a worker of the old release (it knows the workflow {@value FaultWorkflow#NAME}
 * only, 1 thread) runs alone while jobs of a new workflow are already submitted ahead of its own, then a
 * worker of the new release (both workflows, 2 threads) joins while the old one keeps running. The old worker
 * must give each new job back (with backoff, within {@link ErgateOptions#unknownWorkGrace()}), not
 * fail it: every job of both workflows ends COMPLETED with its result, none FAILED, no dead letter.
 */
final class RollingDeployScenario {

    static final String NEW_WORKFLOW = "fault-v2";

    private RollingDeployScenario() {
    }

    static void run(String backendName, FaultScale scale, FaultBackend backend, Path dir) throws Exception {
        long began = System.currentTimeMillis();
        int jobs = scale.deployJobs();
        ErgateOptions options = ErgateOptions.builder().concurrency(2).pollTimeout(Duration.ofMillis(200))
                .backendRetryDelays(Duration.ofMillis(50), Duration.ofMillis(500))
                // longer than the run: the old worker must give the new jobs back all along
                .unknownWorkGrace(Duration.ofMinutes(10))
                .handleSignals(false).build();
        // the old release is down to one thread: most of a rolling deploy's workers are new by then
        ErgateOptions oldOptions = options.toBuilder().concurrency(1).build();
        SeenQueue oldQueue = new SeenQueue(backend.queue());
        ErgateClient client = ErgateClient.builder(backend.queue()).store(backend.store()).build();
        for (int n = 0; n < jobs; n++) { // the new release's jobs first, then the old one's
            client.submit(Job.builder().id(newJobId(n)).workflowName(NEW_WORKFLOW)
                    .initialInputValue(IntNode.valueOf(n)).build());
        }
        FaultScenarios.putJobs(backend, jobs);
        long newJoined;
        try (StepLog oldLog = new StepLog(dir.resolve("old.steps"));
                StepLog newLog = new StepLog(dir.resolve("new.steps"));
                Ergate old = Ergate.builder(oldQueue, backend.store()).options(oldOptions).build();
                Ergate next = Ergate.builder(backend.queue(), backend.store()).options(options).build()) {
            old.registerWorkflow(FaultWorkflow.build(oldLog, 5, null));
            next.registerWorkflow(FaultWorkflow.build(newLog, 5, null));
            next.registerWorkflow(FaultWorkflow.build(NEW_WORKFLOW, newLog, 5, null, FaultWorkflow.SLEEP, null));
            old.start();
            // the old worker alone: its own jobs done, and every new job taken by it at least once
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Outcome.finalCount(backend.store(), jobs) == jobs && oldQueue.seen.size() == jobs);
            assertThat(finalNew(backend, jobs)).as("new jobs ended while only the old worker ran").isZero();
            newJoined = System.currentTimeMillis();
            next.start();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                    .until(() -> finalNew(backend, jobs) == jobs && backend.queued() == 0);
        }
        long finished = System.currentTimeMillis();
        List<String> wrong = new ArrayList<>(Outcome.lost(backend.store(), jobs));
        for (int n = 0; n < jobs; n++) {
            Optional<Job> job = backend.store().find(JobId.of(newJobId(n)));
            if (job.isEmpty() || job.get().status() != JobStatus.COMPLETED
                    || job.get().lastReturnValue().asInt() != FaultWorkflow.expected(n)) {
                wrong.add(newJobId(n) + ": " + job.map(j -> j.status() + " " + firstLine(j.exceptionTraceback()))
                        .orElse("not in the store"));
            }
        }
        Figures.record(new Figures.Row("9 rolling deploy (old worker lacks a new workflow)", backendName, scale.name(),
                2 * jobs, jobs + " jobs of a workflow the old worker lacks, given back " + oldQueue.takes.get() + " times",
                wrong.size(), 0, "new worker joined after the old one had taken every job; all done "
                        + (finished - newJoined) + " ms later", (finished - began) / 1000));
        assertThat(wrong).as("jobs not COMPLETED (an old worker must give back what it can't run)").isEmpty();
        assertThat(oldQueue.takes.get()).as("new jobs the old worker took and gave back").isGreaterThanOrEqualTo(jobs);
        assertThat(backend.deadLetters()).as("dead letters").isEmpty();
    }

    static String newJobId(int n) {
        return "job-v2-" + n;
    }

    private static int finalNew(FaultBackend backend, int jobs) {
        int done = 0;
        for (int n = 0; n < jobs; n++) {
            if (backend.store().find(JobId.of(newJobId(n))).map(j -> j.status().isFinal()).orElse(false)) {
                done++;
            }
        }
        return done;
    }

    private static String firstLine(@Nullable String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }

    /** The old worker's queue: notes which jobs of the new workflow it took; everything else delegated. */
    private static final class SeenQueue extends ForwardingJobQueue {
        final Set<String> seen = ConcurrentHashMap.newKeySet();
        final AtomicInteger takes = new AtomicInteger();

        SeenQueue(JobQueue inner) {
            super(inner);
        }

        @Override
        public Optional<Delivery> take(Duration maxWait) throws InterruptedException {
            Optional<Delivery> taken = delegate().take(maxWait);
            taken.ifPresent(d -> {
                if (NEW_WORKFLOW.equals(d.job().workflowName())) {
                    takes.incrementAndGet();
                    seen.add(String.valueOf(d.job().id()));
                }
            });
            return taken;
        }

        @Override
        public void close() {
            // the backend closes the queue
        }
    }
}
