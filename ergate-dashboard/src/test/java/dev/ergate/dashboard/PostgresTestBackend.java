package dev.ergate.dashboard;

import dev.ergate.jdbc.JdbcBackend;
import dev.ergate.jdbc.JdbcOptions;
import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.testkit.Backends;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * PostgreSQL for a test: {@code ERGATE_POSTGRES_URL}, else 127.0.0.1:5432 database {@code test}
 * as {@code postgres}, in a schema of its own dropped on close. Skips (or fails under
 * ERGATE_REQUIRE_BACKENDS) without PostgreSQL.
 */
final class PostgresTestBackend implements TestBackend {

    static final String LOCAL = "postgres://postgres@127.0.0.1:5432/test";

    static String url() {
        String env = System.getenv("ERGATE_POSTGRES_URL");
        return env == null || env.isBlank() ? LOCAL : env.trim();
    }

    final String schema = "ergt_ui_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    final JdbcBackend postgres;
    private final JobAdmin admin;

    PostgresTestBackend() {
        JdbcBackend connected = null;
        try {
            connected = JdbcBackend.connect(url(), JdbcOptions.builder().schema(schema).poolSize(8).build());
        } catch (RuntimeException e) {
            Backends.missing("PostgreSQL", "set ERGATE_POSTGRES_URL or run PostgreSQL on 127.0.0.1:5432 (database test)", e);
        }
        this.postgres = connected;
        this.admin = postgres.admin();
    }

    @Override
    public JobQueue queue() {
        return postgres.queue();
    }

    @Override
    public JobStore store() {
        return postgres.store();
    }

    @Override
    public JobAdmin admin() {
        return admin;
    }

    @Override
    public void close() {
        try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("drop schema if exists \"" + schema + "\" cascade");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop the test schema " + schema, e);
        } finally {
            postgres.close();
        }
    }
}
