package dev.ergate.bench;

import dev.ergate.jdbc.JdbcBackend;
import dev.ergate.jdbc.JdbcJobQueue;
import dev.ergate.jdbc.JdbcJobStore;
import dev.ergate.jdbc.JdbcOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The PostgreSQL backend: {@code ergate-store-jdbc}'s queue and store from one {@link
 * JdbcBackend} per phase, in a schema of the phase's own (dropped afterwards), with the adapter's
 * defaults (history recorded, atomic one-transaction finish) and a pool of workers + 3
 * connections. Baseline: {@link PostgresRawBaseline}. Not thread-safe; what it opens is.
 */
final class PostgresBench implements BenchBackend {

    /** The system property that turns the store's history off ({@code JdbcOptions.recordHistory}), to measure its cost. */
    static final String RECORD_HISTORY_PROPERTY = "ergate.bench.recordHistory";

    private final String jdbcUrl;
    private final boolean recordHistory;

    PostgresBench(String url) {
        this.jdbcUrl = PostgresUrls.toJdbc(url);
        this.recordHistory = !"false".equalsIgnoreCase(System.getProperty(RECORD_HISTORY_PROPERTY, "true"));
    }

    @Override
    public String describe() {
        try (Connection connection = PostgresRawBaseline.connect(jdbcUrl);
                Statement st = connection.createStatement()) {
            String version = show(st, "server_version");
            return "PostgreSQL " + version + " at " + jdbcUrl.replaceAll("password=[^&]*", "password=***")
                    + " (synchronous_commit " + show(st, "synchronous_commit") + ", fsync " + show(st, "fsync")
                    + ", wal_sync_method " + show(st, "wal_sync_method") + "); ergate-store-jdbc queue + store,"
                    + " atomic one-transaction finish, history " + (recordHistory ? "on" : "off (-D"
                    + RECORD_HISTORY_PROPERTY + "=false)");
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + jdbcUrl + " can't be reached: " + e.getMessage(), e);
        }
    }

    private static String show(Statement st, String setting) throws SQLException {
        try (ResultSet rs = st.executeQuery("SHOW " + setting)) {
            return rs.next() ? rs.getString(1) : "?";
        }
    }

    @Override
    public BackendRun open(String runId, int workers, Duration leaseTime) {
        String schema = "ergbench_" + runId;
        JdbcBackend backend = JdbcBackend.connect(jdbcUrl, JdbcOptions.builder()
                .schema(schema).leaseTime(leaseTime).poolSize(workers + 3).recordHistory(recordHistory).build());
        JdbcJobQueue queue = backend.queue();
        JdbcJobStore store = backend.store();
        return BackendRun.of(queue, store, () -> {
            backend.close();
            try (Connection connection = PostgresRawBaseline.connect(jdbcUrl);
                    Statement st = connection.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        });
    }

    @Override
    public RawBaseline baseline() {
        return new PostgresRawBaseline(jdbcUrl);
    }

    @Override
    public void close() {
    }
}
