package dev.ergate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.Workflow;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Schema version 7: the writes a worker makes on the step path (RUNNING in the claim, QUEUED or
 * COMPLETED in the finish) are HOT updates of the job's row, because no index names a column
 * they change.
 */
@DisplayName("PostgreSQL jobs table: the step path's writes are HOT updates")
class HotUpdatesTest {

    /** Every column a step's writes change; no index of the jobs table may name one. */
    private static final List<String> STEP_COLUMNS = List.of("status", "step_name", "steps_completed",
            "percent_completed", "last_return_value", "exception_traceback", "extra_fields", "version", "updated_at",
            "claimed_by", "claim_expires_at");

    private String schema;

    @BeforeEach
    void schema() {
        schema = PostgresFixture.newSchema("hot");
    }

    @AfterEach
    void drop() {
        PostgresFixture.dropSchema(schema);
    }

    @Test
    @DisplayName("no index of the jobs table names a column that a step changes, in its key, expression or predicate")
    void indexes() throws Exception {
        try (JdbcBackend backend = JdbcBackend.create(PostgresFixture.dataSource(),
                PostgresFixture.options(schema).build())) {
            List<String> definitions = new ArrayList<>();
            try (Connection c = PostgresFixture.dataSource().getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select indexdef from pg_indexes where schemaname = '" + schema
                            + "' and tablename = 'ergate_jobs'")) {
                while (rs.next()) {
                    definitions.add(rs.getString(1));
                }
            }
            assertThat(definitions).hasSizeGreaterThanOrEqualTo(6);
            for (String definition : definitions) {
                for (String column : STEP_COLUMNS) {
                    assertThat(definition).as("index %s", definition).doesNotContainPattern("\\b" + column + "\\b");
                }
            }
        }
    }

    @Test
    @DisplayName("a worker running 3-step jobs writes their rows with HOT updates (pg_stat_user_tables)")
    void stepPathIsHot() {
        int jobs = 30;
        // a pool of its own: closing it ends its backends, which flushes their table statistics
        HikariDataSource pool = PostgresFixture.newPool(PostgresFixture.url(), 6, "ergate-hot-test");
        String workflow = "hot-" + UUID.randomUUID();
        try (JdbcBackend backend = JdbcBackend.create(pool, PostgresFixture.options(schema).build())) {
            // Room on each page for every version of its rows even when none can be pruned: other
            // test classes (and other modules' tests in the same database) hold snapshots that
            // keep dead versions, and an update that finds its page full is never HOT. With the
            // room assured, only an index on a changed column could make an update non-HOT.
            PostgresFixture.execute("alter table " + schema + ".ergate_jobs set (fillfactor = 10)");
            JdbcJobQueue queue = backend.queue("hot", Duration.ofSeconds(30));
            try (Ergate app = Ergate.builder(queue, backend.store())
                    .options(ErgateOptions.builder().concurrency(2).handleSignals(false)
                            .pollTimeout(Duration.ofSeconds(1)).build())
                    .build()
                    .registerWorkflow(ErgateOnPostgresTest.calc(workflow))) {
                ErgateClient client = ErgateClient.builder(queue).store(backend.store()).build();
                List<JobId> ids = new ArrayList<>();
                for (int i = 0; i < jobs; i++) {
                    ids.add(client.submit(workflow).input(i).submit());
                }
                app.start();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() ->
                        ids.stream().allMatch(id -> backend.store().find(id).orElseThrow().status() == JobStatus.COMPLETED));
            }
            queue.close();
        } finally {
            pool.close();
        }
        // each job: RUNNING, QUEUED, RUNNING, QUEUED, RUNNING, COMPLETED after its insert
        long expected = 6L * jobs;
        String stats = "select n_tup_upd, n_tup_hot_upd from pg_stat_user_tables where schemaname = '" + schema
                + "' and relname = 'ergate_jobs'";
        long[] seen = new long[2];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            try (Connection c = PostgresFixture.dataSource().getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(stats)) {
                rs.next();
                seen[0] = rs.getLong(1);
                seen[1] = rs.getLong(2);
            }
            return seen[0] >= expected;
        });
        assertThat(seen[0]).isEqualTo(expected);
        assertThat(seen[1]).as("HOT updates of %s", seen[0]).isEqualTo(expected);
    }
}
