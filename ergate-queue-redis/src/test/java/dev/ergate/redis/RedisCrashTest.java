package dev.ergate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.spi.QueueCounts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a worker JVM with SIGKILL in the middle of steps, several times, then lets a second
 * worker finish: every job must end COMPLETED with the right result, none lost, and each kill may
 * cost at most one duplicate step run (the killed worker runs one step at a time).
 */
@DisplayName("a worker killed with SIGKILL mid-step loses no job")
class RedisCrashTest {

    private static final Logger LOG = LoggerFactory.getLogger(RedisCrashTest.class);
    private static final int JOBS = 12;
    private static final int KILLS = 4;
    private static final long LEASE_MILLIS = 1_000;
    private static final long STEP_MILLIS = 300;
    private static final String[] STEPS = {"times-ten", "plus-one", "double"};

    private static RedisFixture fixture;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("crash");
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    @DisplayName("every job ends COMPLETED, and duplicate step runs are at most one per kill")
    void killedWorkersLoseNothing() throws Exception {
        RedisBackend redis = fixture.backend();
        String namespace = redis.options().namespace();
        String runsKey = "ergate-crash-test:" + UUID.randomUUID() + ":runs";
        RedisJobQueue queue = redis.queue(RedisQueueOptions.builder().leaseTime(Duration.ofMillis(LEASE_MILLIS)).build());
        RedisJobStore store = redis.store();
        for (int n = 0; n < JOBS; n++) {
            Job job = Job.builder().id("job-" + n).workflowName(CrashTestWorker.WORKFLOW)
                    .initialInputValue(IntNode.valueOf(n)).build();
            store.update(job);
            queue.put(job);
        }

        try {
            int killed = 0;
            for (int round = 1; round <= KILLS; round++) {
                long before = totalRuns(runsKey);
                Process worker = startWorker(namespace, runsKey, round);
                try {
                    // worker N is killed as it starts its N-th step: N-1 steps finished, one mid-way
                    long target = before + round;
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                            .until(() -> totalRuns(runsKey) >= target || !worker.isAlive());
                    assertThat(worker.isAlive()).as("worker %d is running", round).isTrue();
                } finally {
                    worker.destroyForcibly(); // SIGKILL on Linux
                    assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
                }
                killed++;
                LOG.info("killed worker {} (exit {}) after {} step runs in all", round, worker.exitValue(),
                        totalRuns(runsKey));
            }

            try (Ergate finisher = Ergate.builder(queue, store)
                    .options(ErgateOptions.builder().concurrency(2).pollTimeout(Duration.ofMillis(500))
                            .handleSignals(false).build())
                    .build()) {
                finisher.registerWorkflow(CrashTestWorker.workflow(fixture.raw(), runsKey, STEP_MILLIS));
                finisher.start();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> store.list(JobStatus.COMPLETED).jobs().size() == JOBS);
            }

            for (int n = 0; n < JOBS; n++) {
                Job done = store.find(JobId.of("job-" + n)).orElseThrow();
                assertThat(done.status()).as("job-%d", n).isEqualTo(JobStatus.COMPLETED);
                assertThat(done.lastReturnValue().asInt()).as("job-%d's result", n)
                        .isEqualTo(CrashTestWorker.expectedResult(n));
            }
            assertThat(queue.counts()).as("nothing left on the queue").isEqualTo(new QueueCounts(0, 0, 0, 0, false));

            Map<String, String> runs = fixture.raw().hgetAll(runsKey);
            int duplicates = 0;
            List<String> repeated = new ArrayList<>();
            for (int n = 0; n < JOBS; n++) {
                for (String step : STEPS) {
                    int count = Integer.parseInt(runs.getOrDefault("job-" + n + ":" + step, "0"));
                    assertThat(count).as("runs of job-%d's step %s", n, step).isGreaterThanOrEqualTo(1);
                    if (count > 1) {
                        duplicates += count - 1;
                        repeated.add("job-" + n + ":" + step + " x" + count);
                    }
                }
            }
            LOG.info("{} kills, {} duplicate step runs: {}", killed, duplicates, repeated);
            assertThat(duplicates).as("duplicate step runs (%s)", repeated).isBetween(1, killed);
        } finally {
            fixture.raw().del(runsKey);
        }
    }

    private static long totalRuns(String runsKey) {
        return fixture.raw().hvals(runsKey).stream().mapToLong(Long::parseLong).sum();
    }

    private static Process startWorker(String namespace, String runsKey, int round) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Files.createDirectories(Path.of("target", "crash-test")).resolve("worker-" + round + ".log");
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashTestWorker.class.getName(), RedisFixture.uri(), Boolean.toString(RedisFixture.cluster()),
                namespace, runsKey,
                Long.toString(LEASE_MILLIS), Long.toString(STEP_MILLIS))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        LOG.info("starting worker {} (log {})", round, log.toAbsolutePath());
        return builder.start();
    }
}
