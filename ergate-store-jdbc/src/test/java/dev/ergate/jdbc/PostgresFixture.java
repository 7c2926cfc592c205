package dev.ergate.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ergate.testbackends.TestBackends;
import dev.ergate.testkit.Backends;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The PostgreSQL the tests run against, found once per test JVM by {@link
 * TestBackends#postgres()} ({@code ERGATE_POSTGRES_URL}, 127.0.0.1:5432 database {@code test},
 * Testcontainers; else the test is skipped, or fails under {@code ERGATE_REQUIRE_BACKENDS=true}).
 *
 * <p>Each test class works in its own schema from {@link #newSchema(String)} and drops it after.
 */
final class PostgresFixture {

    private static final String HOW = "set " + TestBackends.POSTGRES_ENV + " (e.g. jdbc:postgresql://host:5432/db?user=me) or run "
            + "PostgreSQL on 127.0.0.1:5432 with a database 'test' that user postgres can use";

    private static @Nullable HikariDataSource pool;
    private static @Nullable Throwable failure;

    private PostgresFixture() {
    }

    /** @return the URL the tests use */
    static String url() {
        return TestBackends.postgres().url();
    }

    /**
     * @return a pool shared by the whole test JVM; skips (or fails) the test when PostgreSQL
     *     can't be reached
     */
    static synchronized DataSource dataSource() {
        if (pool == null && failure == null) {
            String url = url(); // skips the test when there is no PostgreSQL at all
            try {
                pool = newPool(url, 40, "ergate-test");
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (pool == null) {
            Backends.missing("PostgreSQL", HOW, failure);
            throw new IllegalStateException("unreachable");
        }
        return pool;
    }

    /** A separate pool, e.g. with an application name a test can find its connections by. */
    static HikariDataSource newPool(String url, int size, String applicationName) {
        PostgresUrl parsed = PostgresUrl.parse(url);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(parsed.jdbcUrl());
        if (parsed.user() != null) {
            config.setUsername(parsed.user());
        }
        if (parsed.password() != null) {
            config.setPassword(parsed.password());
        }
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(5_000);
        config.setPoolName(applicationName);
        config.addDataSourceProperty("ApplicationName", applicationName);
        config.addDataSourceProperty("connectTimeout", "3");
        return new HikariDataSource(config);
    }

    /** @return a fresh, unique schema name for one test class; drop it with {@link #dropSchema} */
    static String newSchema(String hint) {
        dataSource();
        String clean = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        clean = clean.substring(0, Math.min(12, clean.length()));
        return "ergt_" + clean + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    static void dropSchema(String schema) {
        execute("drop schema if exists " + Tables.quote(Tables.checkSchema(schema)) + " cascade");
    }

    static void execute(String sql) {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("fixture SQL failed: " + sql, e);
        }
    }

    /** {@return the first column of the first row of {@code sql}, or {@code null}} */
    static @Nullable String queryString(String sql) {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException("fixture SQL failed: " + sql, e);
        }
    }

    /** @return options for tests: the given schema, fast polls, everything else default */
    static JdbcOptions.Builder options(String schema) {
        return JdbcOptions.builder().schema(schema);
    }
}
