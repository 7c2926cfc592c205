package dev.ergate.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario 2 on a private server: a worker runs while the server is stopped and started again
 * ({@link Outage}) several times; the worker retries with backoff and, once the server is back,
 * finishes every job. Reports lost jobs (must be 0), duplicate step runs, and the recovery time
 * (from the server answering again to the next step starting).
 */
final class BackendRestartScenario {

    private static final Logger LOG = LoggerFactory.getLogger(BackendRestartScenario.class);
    static final Duration LEASE = Duration.ofSeconds(3);

    /** One outage: takes the server down, keeps it down a while, brings it back. */
    interface Outage {
        /** @return when the server answered again (epoch ms) */
        long inject() throws Exception;
    }

    private BackendRestartScenario() {
    }

    static void run(String scenario, String backendName, BackendSpec spec, Outage outage, String faultName)
            throws Exception {
        run(scenario, backendName, spec, outage, faultName, ErgateOptions.builder().concurrency(4)
                .pollTimeout(Duration.ofMillis(300)).backendRetryDelays(Duration.ofMillis(100), Duration.ofSeconds(2))
                .handleSignals(false).build());
    }

    /** As {@link #run(String, String, BackendSpec, Outage, String)}, with the worker's options. */
    static void run(String scenario, String backendName, BackendSpec spec, Outage outage, String faultName,
            ErgateOptions options) throws Exception {
        FaultScale scale = FaultScale.current();
        long began = System.currentTimeMillis();
        int jobs = scale.restartJobs();
        Path dir = Path.of("target", "fault", "restart-" + backendName + "-" + UUID.randomUUID().toString().substring(0, 8));
        long maxRecovery = 0;
        try (FaultBackend backend = spec.open(LEASE, 12, "ergate-fault-test");
                StepLog log = new StepLog(dir.resolve("in-process.steps"));
                Ergate worker = Ergate.builder(backend.queue(), backend.store()).options(options).build()) {
            worker.registerWorkflow(FaultWorkflow.build(log, 20, null));
            FaultScenarios.putJobs(backend, jobs);
            worker.start();
            for (int r = 1; r <= scale.restarts(); r++) {
                int target = jobs * r / (scale.restarts() + 1);
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                        .until(() -> Outcome.finalCount(backend.store(), jobs) >= target);
                long up = outage.inject();
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                        .until(() -> StepLog.readAll(dir).stream().anyMatch(e -> e.kind().equals("START")
                                && e.atMillis() >= up));
                long firstStart = StepLog.readAll(dir).stream().filter(e -> e.kind().equals("START")
                        && e.atMillis() >= up).mapToLong(StepLog.Event::atMillis).min().orElseThrow();
                maxRecovery = Math.max(maxRecovery, firstStart - up);
                LOG.info("{}: outage {} over; first step {} ms after the server was back", backendName, r,
                        firstStart - up);
                assertThat(worker.isRunning()).as("the worker survived outage %d", r).isTrue();
            }
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Outcome.finalCount(backend.store(), jobs) == jobs && backend.queued() == 0);
            long finished = System.currentTimeMillis();
            List<StepLog.Event> events = StepLog.readAll(dir);
            Outcome outcome = Outcome.of(Outcome.lost(backend.store(), jobs), events);
            Figures.record(new Figures.Row(scenario, backendName, scale.name(), jobs, scale.restarts() + " " + faultName,
                    outcome.lost().size(), outcome.duplicates(), "max " + maxRecovery + " ms from server up to next step",
                    (finished - began) / 1000));
            assertThat(outcome.lost()).as("lost jobs").isEmpty();
            assertThat(Outcome.distinctSteps(events)).as("(job, step) pairs that ran").isEqualTo(3L * jobs);
            assertThat(backend.deadLetters()).as("dead letters").isEmpty();
            assertThat(maxRecovery).as("recovery after the server came back (ms)").isLessThan(60_000);
            backend.dropSpace();
        }
    }

    /** Holds a fault for {@code duration}: a deliberate outage length, not a wait for a condition. */
    static void hold(Duration duration) {
        await().pollDelay(duration).atMost(duration.plusSeconds(5)).until(() -> true);
    }
}
