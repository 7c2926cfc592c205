package dev.ergate.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Every use of HikariCP, which is an optional dependency: only {@link JdbcBackend#connect} needs
 * it, so a user who passes their own {@code DataSource} never loads this class.
 */
final class HikariPools {

    private static final AtomicInteger POOLS = new AtomicInteger();

    private HikariPools() {
    }

    /** {@return true when HikariCP is on the class path} */
    static boolean available() {
        try {
            Class.forName("com.zaxxer.hikari.HikariDataSource", false, HikariPools.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** {@return a new pool for the parsed URL, connecting eagerly (so a bad URL fails here)} */
    static DataSource open(PostgresUrl url, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) {
            config.setUsername(url.user());
        }
        if (url.password() != null) {
            config.setPassword(url.password());
        }
        config.setMaximumPoolSize(size);
        config.setPoolName("ergate-pg-" + POOLS.incrementAndGet());
        config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        return new HikariDataSource(config);
    }

    /** Closes a pool that {@link #open} built. */
    static void close(DataSource pool) {
        ((HikariDataSource) pool).close();
    }

    /** {@return the pool's maximum size when it is a HikariCP pool, else null} */
    static @Nullable Integer maximumPoolSize(DataSource dataSource) throws SQLException {
        if (dataSource.isWrapperFor(HikariDataSource.class)) {
            return dataSource.unwrap(HikariDataSource.class).getMaximumPoolSize();
        }
        return null;
    }
}
