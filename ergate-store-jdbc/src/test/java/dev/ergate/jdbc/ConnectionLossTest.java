package dev.ergate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.IntNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.JobQuery;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Kills every backend connection of a running worker's pool (pg_terminate_backend, found by
 * application name) several times while it works: its calls fail with transient errors and are
 * retried, the listener reconnects, and every job still completes.
 */
@DisplayName("Connection loss against PostgreSQL")
class ConnectionLossTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private String schema;
    private String app;
    private HikariDataSource pool;
    private JdbcBackend backend;
    private JdbcBackend producer;
    private Ergate worker;

    @BeforeEach
    void setUp() {
        schema = PostgresFixture.newSchema("connloss");
        app = "ergate-connloss-" + UUID.randomUUID().toString().substring(0, 8);
        pool = PostgresFixture.newPool(PostgresFixture.url(), 8, app);
        backend = JdbcBackend.create(pool, PostgresFixture.options(schema).build());
        producer = JdbcBackend.create(PostgresFixture.dataSource(),
                PostgresFixture.options(schema).migrateOnStart(false).build());
    }

    @AfterEach
    void tearDown() {
        if (worker != null) {
            worker.close();
        }
        producer.close();
        backend.close();
        pool.close();
        PostgresFixture.dropSchema(schema);
    }

    @Test
    @DisplayName("a worker whose connections are killed recovers and finishes every job")
    void workerSurvivesKilledConnections() throws Exception {
        JdbcJobQueue queue = backend.queue("q", Duration.ofSeconds(10));
        worker = Ergate.builder(queue, backend.store())
                .options(ErgateOptions.builder().concurrency(4).handleSignals(false)
                        .pollTimeout(Duration.ofMillis(500))
                        .backendRetryDelays(Duration.ofMillis(20), Duration.ofMillis(500))
                        .build())
                .build()
                .registerWorkflow(ErgateOnPostgresTest.calc("calc"));
        worker.start();
        await().atMost(DEADLINE).until(() -> backend.listener().isListening());

        int jobs = 90;
        int kills = 0;
        JdbcJobQueue input = producer.queue("q", Duration.ofSeconds(10));
        for (int i = 0; i < jobs; i++) {
            input.put(Job.builder().id("j" + i).workflowName("calc").initialInputValue(IntNode.valueOf(i)).build());
            if (i % 30 == 10) {
                kills += killConnections();
            }
        }
        for (int k = 0; k < 2; k++) {
            await().atMost(DEADLINE).until(() -> backend.listener().isListening());
            kills += killConnections();
        }
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> producer.store()
                .list(JobQuery.builder().status(JobStatus.COMPLETED).pageSize(1000).build()).jobs().size() == jobs);

        assertThat(kills).as("connections were really killed").isGreaterThanOrEqualTo(5);
        for (int i = 0; i < jobs; i++) {
            Job done = producer.store().find(JobId.of("j" + i)).orElseThrow();
            assertThat(done.lastReturnValue().textValue()).isEqualTo("=" + (i + 1) * 10);
        }
        await().atMost(DEADLINE).until(() -> queue.counts().total() == 0);
        await().atMost(DEADLINE).until(() -> backend.listener().isListening());

        // after all that, an idle taker is still woken by NOTIFY, not by its poll interval
        JdbcJobQueue idle = backend.queue("idle", Duration.ofSeconds(10));
        ExecutorService taker = Executors.newSingleThreadExecutor();
        try {
            Future<Optional<Delivery>> took = taker.submit(() -> idle.take(Duration.ofSeconds(30)));
            await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> true);
            long start = System.nanoTime();
            producer.queue("idle", Duration.ofSeconds(10)).put(Job.builder().id("late").workflowName("calc").build());
            assertThat(took.get(10, TimeUnit.SECONDS)).isPresent();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        } finally {
            taker.shutdownNow();
        }
    }

    /** @return how many backends were terminated */
    private int killConnections() throws Exception {
        int killed = 0;
        try (Connection c = PostgresFixture.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select pg_terminate_backend(pid) from pg_stat_activity "
                        + "where application_name = '" + app + "'")) {
            while (rs.next()) {
                if (rs.getBoolean(1)) {
                    killed++;
                }
            }
        }
        return killed;
    }
}
