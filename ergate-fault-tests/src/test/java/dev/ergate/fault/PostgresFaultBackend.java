package dev.ergate.fault;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ergate.jdbc.JdbcBackend;
import dev.ergate.jdbc.JdbcJobQueue;
import dev.ergate.jdbc.JdbcJobStore;
import dev.ergate.jdbc.JdbcOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@link FaultBackend} on PostgreSQL: one schema per run, its own HikariCP pool. Thread-safe. */
final class PostgresFaultBackend implements FaultBackend {

    private static final String QUEUE = "fault";

    private final BackendSpec spec;
    private final HikariDataSource pool;
    private final JdbcBackend backend;
    private final JdbcJobQueue queue;
    private final JdbcJobStore store;

    PostgresFaultBackend(BackendSpec spec, Duration leaseTime, int connections, String applicationName,
            Clock clock) {
        this.spec = spec;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(spec.address());
        config.setMaximumPoolSize(connections);
        config.setConnectionTimeout(5_000);
        config.setPoolName(applicationName);
        config.setInitializationFailTimeout(-1); // start even while the server is down
        config.addDataSourceProperty("ApplicationName", applicationName);
        config.addDataSourceProperty("connectTimeout", "3");
        this.pool = new HikariDataSource(config);
        this.backend = JdbcBackend.create(pool, JdbcOptions.builder().schema(spec.space())
                .pollInterval(Duration.ofSeconds(1)).maxJobBytes(FaultBackend.MAX_JOB_BYTES).clock(clock).build());
        this.queue = backend.queue(QUEUE, leaseTime);
        this.store = backend.store();
    }

    @Override
    public JdbcJobQueue queue() {
        return queue;
    }

    @Override
    public JdbcJobStore store() {
        return store;
    }

    @Override
    public @Nullable String putRaw(byte[] message) throws SQLException {
        // the documented queue table; a row without job id is what a foreign producer would write
        try (Connection c = pool.getConnection();
                PreparedStatement s = c.prepareStatement("insert into \"" + spec.space() + "\".ergate_queue"
                        + " (queue_name, payload, visible_at, enqueued_at) values (?, ?, ?, ?)")) {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            s.setString(1, QUEUE);
            s.setBytes(2, message);
            s.setObject(3, now);
            s.setObject(4, now);
            s.executeUpdate();
        }
        return null;
    }

    @Override
    public List<Dead> deadLetters() {
        return queue.deadLetters(100_000).stream().map(d -> new Dead(d.reason(), d.body())).toList();
    }

    @Override
    public long queued() {
        return queue.counts().total();
    }

    @Override
    public void dropSpace() {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("drop schema if exists \"" + spec.space() + "\" cascade");
        } catch (SQLException e) {
            throw new IllegalStateException("can't drop schema " + spec.space(), e);
        }
    }

    @Override
    public void close() {
        try {
            backend.close();
        } finally {
            pool.close();
        }
    }
}
