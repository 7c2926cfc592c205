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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.awaitility.core.ConditionTimeoutException;

/**
 * {@link FaultScale#cancels()} cancels while a worker runs. Of the jobs, 70 % are queued (the
 * worker takes them: a cancel finds them QUEUED, RUNNING or done), 10 % queued with a start 2 s
 * away (a cancel finds them waiting on the queue), 10 % SCHEDULED an hour ahead and 10 % PENDING,
 * in the store only (no message exists: a publisher would queue them, none runs here). Each job is
 * cancelled once, in random order, while the worker runs. Every job must end CANCELLED or
 * COMPLETED with its result, the SCHEDULED and PENDING ones CANCELLED at once; none stays
 * CANCELLING, and nothing is dead-lettered.
 */
final class CancelStormScenario {

    private CancelStormScenario() {
    }

    static void run(String backendName, FaultScale scale, FaultBackend backend, Path dir) throws Exception {
        long began = System.currentTimeMillis();
        int jobs = scale.cancels();
        List<Integer> order = new ArrayList<>();
        List<Job> queued = new ArrayList<>();
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
                queued.add(built);
            }
            order.add(n);
        }
        backend.queue().putAll(queued);
        Collections.shuffle(order);
        ErgateClient client = ErgateClient.builder(backend.queue()).store(backend.store()).build();
        long cancelsTook;
        try (StepLog log = new StepLog(dir.resolve("in-process.steps"));
                Ergate worker = Ergate.builder(backend.queue(), backend.store())
                        .options(ErgateOptions.builder().concurrency(4).pollTimeout(Duration.ofMillis(200))
                                .backendRetryDelays(Duration.ofMillis(50), Duration.ofSeconds(1))
                                .handleSignals(false).build())
                        .build()) {
            worker.registerWorkflow(FaultWorkflow.build(log, 2, null));
            worker.start();
            long cancelsFrom = System.currentTimeMillis();
            for (int n : order) {
                client.cancel(JobId.of(Outcome.jobId(n)));
            }
            cancelsTook = System.currentTimeMillis() - cancelsFrom;
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                        .until(() -> settled(backend, jobs) && backend.queued() == 0);
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
            if (!ok && wrong.size() < 20) {
                wrong.add(Outcome.jobId(n) + " (" + (n % 10 == 8 ? "SCHEDULED" : n % 10 == 9 ? "PENDING"
                        : n % 10 == 7 ? "queued, delayed" : "queued") + "): " + status);
            }
        }
        int bad = jobs - statuses.getOrDefault("CANCELLED", 0) - statuses.getOrDefault("COMPLETED", 0);
        Figures.record(new Figures.Row("10 cancels during a run", backendName, scale.name(), jobs,
                jobs + " cancels in " + cancelsTook + " ms", bad, 0, "final: " + statuses,
                (System.currentTimeMillis() - began) / 1000));
        assertThat(wrong).as("jobs not CANCELLED or COMPLETED after a cancel (final statuses %s)", statuses).isEmpty();
        assertThat(statuses.getOrDefault("CANCELLED", 0)).as("cancelled jobs (every SCHEDULED and PENDING one at least)")
                .isGreaterThanOrEqualTo(jobs / 5);
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
