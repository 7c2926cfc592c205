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
import java.nio.file.Path;
import org.awaitility.core.ConditionTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link FaultScale#cancels()} cancels while a worker runs: of the jobs, 70 % are queued, 10 %
 * queued with a start 2 s away, 10 % SCHEDULED and 10 % PENDING in the store only (a publisher
 * would queue them; none runs here). Each is cancelled once, in random order, while the worker
 * takes the queued ones. Every job must end CANCELLED or COMPLETED (with its result); the
 * SCHEDULED and PENDING ones CANCELLED; none stays CANCELLING.
 */
final class CancelStormScenario {

    private CancelStormScenario() {
    }

    static void run(String backendName, FaultScale scale, FaultBackend backend, Path dir) throws Exception {
        long began = System.currentTimeMillis();
        int jobs = scale.cancels();
        List<Integer> order = new ArrayList<>();
        for (int n = 0; n < jobs; n++) {
            Job.Builder job = Job.builder().id(Outcome.jobId(n)).workflowName(FaultWorkflow.NAME)
                    .initialInputValue(IntNode.valueOf(n));
            switch (n % 10) {
                case 7 -> job.requestedStartTime(Instant.now().plusSeconds(2));
                case 8 -> job.status(JobStatus.SCHEDULED).requestedStartTime(Instant.now().plusSeconds(3_600));
                case 9 -> job.status(JobStatus.PENDING);
                default -> { }
            }
            Job built = job.build();
            backend.store().update(built);
            if (n % 10 < 8) {
                backend.queue().put(built);
            }
            order.add(n);
        }
        Collections.shuffle(order);
        ErgateClient client = ErgateClient.builder(backend.queue()).store(backend.store()).build();
        try (StepLog log = new StepLog(dir.resolve("in-process.steps"));
                Ergate worker = Ergate.builder(backend.queue(), backend.store())
                        .options(ErgateOptions.builder().concurrency(4).pollTimeout(Duration.ofMillis(200))
                                .handleSignals(false).build())
                        .build()) {
            worker.registerWorkflow(FaultWorkflow.build(log, 2, null));
            worker.start();
            for (int n : order) {
                client.cancel(JobId.of(Outcome.jobId(n)));
            }
            try {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                        .until(() -> settled(backend, jobs));
            } catch (ConditionTimeoutException e) {
                // some job never ended: the assertions below name which and in what state
            }
        }
        Map<String, Integer> statuses = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (int n = 0; n < jobs; n++) {
            Optional<Job> found = backend.store().find(JobId.of(Outcome.jobId(n)));
            String status = found.map(j -> j.status().name()).orElse("missing");
            statuses.merge(status, 1, Integer::sum);
            boolean ok = found.isPresent() && switch (found.get().status()) {
                case CANCELLED -> true;
                case COMPLETED -> n % 10 < 8 && found.get().lastReturnValue().asInt() == FaultWorkflow.expected(n);
                default -> false;
            };
            if (!ok) {
                wrong.add(Outcome.jobId(n) + " (" + (n % 10 == 8 ? "SCHEDULED" : n % 10 == 9 ? "PENDING" : "queued")
                        + "): " + status);
            }
        }
        Figures.record(new Figures.Row("10 cancels during a run", backendName, scale.name(), jobs, jobs + " cancels",
                wrong.size(), 0, "final: " + statuses, (System.currentTimeMillis() - began) / 1000));
        assertThat(wrong).as("jobs not CANCELLED or COMPLETED after a cancel (final statuses %s)", statuses).isEmpty();
        assertThat(backend.deadLetters()).as("dead letters").isEmpty();
    }

    private static boolean settled(FaultBackend backend, int jobs) {
        for (int n = 0; n < jobs; n++) {
            if (!backend.store().find(JobId.of(Outcome.jobId(n))).map(j -> j.status().isFinal()).orElse(false)) {
                return false;
            }
        }
        return true;
    }
}
