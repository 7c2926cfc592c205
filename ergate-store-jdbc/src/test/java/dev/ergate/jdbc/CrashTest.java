package dev.ergate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.spi.JobQuery;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a worker JVM with SIGKILL in the middle of a step, several times, then lets a second
 * worker finish: every job must end COMPLETED with the right result, none lost, and each kill
 * may cost at most one extra run of one step (the one it interrupted).
 */
@DisplayName("Worker killed with SIGKILL mid-step")
@Isolated("starts worker JVMs: CPU-heavy, and its timing must not suffer from other tests")
class CrashTest {

    private static final Logger LOG = LoggerFactory.getLogger(CrashTest.class);
    static final Duration LEASE = Duration.ofSeconds(2);
    private static final int JOBS = 12;
    private static final int KILLS = 3;
    private static final long STEP_MILLIS = 250;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private String schema;
    private JdbcBackend backend;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void setUp() {
        schema = PostgresFixture.newSchema("crash");
        backend = JdbcBackend.create(PostgresFixture.dataSource(), PostgresFixture.options(schema).build());
        PostgresFixture.execute("create table " + Tables.quote(schema)
                + ".step_runs (job_id text not null, step text not null, pid bigint not null)");
    }

    @AfterEach
    void tearDown() {
        processes.forEach(Process::destroyForcibly);
        if (backend != null) {
            backend.close();
        }
        PostgresFixture.dropSchema(schema);
    }

    @Test
    @DisplayName("loses no job and runs each interrupted step at most once more")
    void killedWorkersLoseNothing() throws Exception {
        String queueName = "crash";
        JdbcJobQueue queue = backend.queue(queueName, LEASE);
        for (int i = 0; i < JOBS; i++) {
            Job job = Job.builder().id("job-" + i).workflowName(CrashWorkerMain.WORKFLOW)
                    .initialInputValue(IntNode.valueOf(i)).build();
            backend.store().update(job);
            queue.put(job);
        }

        int kills = 0;
        for (int k = 0; k < KILLS; k++) {
            long before = count("select count(*) from " + runs());
            Process worker = startWorker(queueName, k);
            // a new run recorded means the worker is inside that step (it works 300 ms after recording)
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(10))
                    .until(() -> !worker.isAlive() || count("select count(*) from " + runs()) > before + 1);
            assertThat(worker.isAlive()).as("worker %d is running (see target/crash-worker-%d.log)", k, k).isTrue();
            worker.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no drain
            assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
            kills++;
        }
        long runsBeforeFinish = count("select count(*) from " + runs());
        assertThat(runsBeforeFinish).as("the killed workers made progress").isGreaterThanOrEqualTo(2L * KILLS);

        // a second worker, here in the test JVM, finishes everything
        Ergate finisher = Ergate.builder(queue, backend.store())
                .options(ErgateOptions.builder().concurrency(4).handleSignals(false)
                        .pollTimeout(Duration.ofMillis(500)).build())
                .build()
                .registerWorkflow(CrashWorkerMain.workflow(PostgresFixture.dataSource(), schema, 20));
        try {
            finisher.start();
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> backend.store()
                    .list(JobQuery.builder().status(JobStatus.COMPLETED).pageSize(1000).build()).jobs().size() == JOBS);
        } finally {
            finisher.close();
        }

        for (int i = 0; i < JOBS; i++) {
            Job done = backend.store().find(JobId.of("job-" + i)).orElseThrow();
            assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(done.lastReturnValue().textValue()).isEqualTo("=" + (i + 1) * 10);
        }
        long total = count("select count(*) from " + runs());
        long distinct = count("select count(*) from (select distinct job_id, step from " + runs() + ") d");
        long duplicates = total - distinct;
        LOG.info("{} kills, {} step runs for {} steps: {} duplicate runs", kills, total, distinct, duplicates);
        assertThat(distinct).as("every step of every job ran").isEqualTo(3L * JOBS);
        assertThat(duplicates).as("extra step runs, at most one per kill").isLessThanOrEqualTo(kills);
        assertThat(count("select count(*) from (select job_id, step from " + runs()
                + " group by 1, 2 having count(*) > 2) d")).as("steps run three times or more").isZero();
        assertThat(queue.counts().total()).as("messages left").isZero();
        assertThat(queue.deadLetters(10)).isEmpty();
    }

    private String runs() {
        return Tables.quote(schema) + ".step_runs";
    }

    private Process startWorker(String queueName, int index) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        File log = new File("target/crash-worker-" + index + ".log");
        Files.createDirectories(log.toPath().getParent());
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), CrashWorkerMain.class.getName(),
                PostgresFixture.url(), schema, queueName, Long.toString(STEP_MILLIS))
                .redirectErrorStream(true)
                .redirectOutput(log);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static long count(String sql) throws Exception {
        try (Connection c = PostgresFixture.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
