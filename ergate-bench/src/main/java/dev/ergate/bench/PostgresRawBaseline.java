package dev.ergate.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * PostgreSQL without Ergate: one transaction per step with plain JDBC, one connection per
 * thread, synchronous commit as the server has it (on by default). Claim: {@code DELETE ... WHERE
 * id = (SELECT ... FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING}; then upsert the job's state
 * (JSONB) and insert the next message; commit (one WAL flush). Not thread-safe: used from one
 * thread, it runs its own loop threads.
 */
final class PostgresRawBaseline implements RawBaseline {

    private final String jdbcUrl;

    PostgresRawBaseline(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    @Override
    public String describe() {
        return "JDBC, one transaction: DELETE..FOR UPDATE SKIP LOCKED RETURNING; upsert state (jsonb);"
                + " INSERT next; COMMIT (4 round trips, 1 WAL flush)";
    }

    static Connection connect(String jdbcUrl) throws SQLException {
        return new org.postgresql.Driver().connect(jdbcUrl, new Properties());
    }

    @Override
    public BaselineResult run(String runId, int threads, int depth, long steps, byte[] message) throws Exception {
        String schema = "ergbench_" + runId.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        try (Connection setup = connect(jdbcUrl)) {
            try (Statement st = setup.createStatement()) {
                st.execute("CREATE SCHEMA " + schema);
                st.execute("CREATE TABLE " + schema + ".queue (id bigserial PRIMARY KEY, job_id text NOT NULL,"
                        + " body bytea NOT NULL)");
                st.execute("CREATE TABLE " + schema + ".state (job_id text PRIMARY KEY, body jsonb NOT NULL)");
            }
            try {
                setup.setAutoCommit(false);
                try (PreparedStatement insert = setup.prepareStatement(
                        "INSERT INTO " + schema + ".queue (job_id, body) VALUES (?, ?)")) {
                    for (int i = 0; i < depth; i++) {
                        insert.setString(1, "job-" + i);
                        insert.setBytes(2, message);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                setup.commit();
                setup.setAutoCommit(true);
                long nanos = BaselineLoops.run("postgres", threads, steps, index -> new Looper(connect(jdbcUrl), schema));
                return new BaselineResult(describe(), steps, nanos);
            } finally {
                setup.setAutoCommit(true);
                try (Statement st = setup.createStatement()) {
                    st.execute("DROP SCHEMA " + schema + " CASCADE");
                }
            }
        }
    }

    /** One thread's connection and prepared statements. */
    private static final class Looper implements BaselineLoops.Looper {
        private static final int MAX_EMPTY_CLAIMS = 1_000;

        private final Connection connection;
        private final PreparedStatement claim;
        private final PreparedStatement writeState;
        private final PreparedStatement putNext;

        Looper(Connection connection, String schema) throws SQLException {
            this.connection = connection;
            connection.setAutoCommit(false);
            this.claim = connection.prepareStatement("DELETE FROM " + schema + ".queue WHERE id = (SELECT id FROM "
                    + schema + ".queue ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING job_id, body");
            this.writeState = connection.prepareStatement("INSERT INTO " + schema + ".state (job_id, body)"
                    + " VALUES (?, cast(? AS jsonb)) ON CONFLICT (job_id) DO UPDATE SET body = excluded.body");
            this.putNext = connection.prepareStatement("INSERT INTO " + schema + ".queue (job_id, body) VALUES (?, ?)");
        }

        @Override
        public void step() throws SQLException {
            String jobId = null;
            byte[] body = null;
            // The claim sees the rows of its statement's snapshot only. When this thread is
            // descheduled while the others consume every row it saw (their new rows came after
            // the snapshot), the claim finds nothing although the table is never empty: a fresh
            // statement sees the new rows, so retry a bounded number of times.
            for (int attempt = 0; jobId == null && attempt < MAX_EMPTY_CLAIMS; attempt++) {
                try (ResultSet taken = claim.executeQuery()) {
                    if (taken.next()) {
                        jobId = taken.getString(1);
                        body = taken.getBytes(2);
                    } else {
                        connection.rollback();
                    }
                }
            }
            if (jobId == null || body == null) {
                throw new IllegalStateException("postgres baseline: the queue table stayed empty for "
                        + MAX_EMPTY_CLAIMS + " claims");
            }
            writeState.setString(1, jobId);
            writeState.setString(2, new String(body, java.nio.charset.StandardCharsets.UTF_8));
            writeState.executeUpdate();
            putNext.setString(1, jobId);
            putNext.setBytes(2, body);
            putNext.executeUpdate();
            connection.commit();
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }
}
