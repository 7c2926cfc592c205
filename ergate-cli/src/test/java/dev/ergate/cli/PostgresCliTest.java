package dev.ergate.cli;

import dev.ergate.jdbc.JdbcBackend;
import dev.ergate.jdbc.JdbcOptions;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.testkit.Backends;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

/** The command on PostgreSQL, next to a worker in the same schema. */
class PostgresCliTest extends CliScenario {

    static final String LOCAL = "postgres://postgres@127.0.0.1:5432/test";

    static String url() {
        String env = System.getenv("ERGATE_POSTGRES_URL");
        return env == null || env.isBlank() ? LOCAL : env.trim();
    }

    /** @return the JDBC form of {@link #url()} for a plain DriverManager connection */
    static String jdbcUrl() {
        String url = url();
        if (url.startsWith("jdbc:")) {
            return url;
        }
        java.net.URI uri = java.net.URI.create(url);
        String user = uri.getUserInfo() == null ? "postgres" : uri.getUserInfo().split(":")[0];
        return "jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort()) + uri.getPath()
                + "?user=" + user;
    }

    private String schema;
    private JdbcBackend postgres;

    @Override
    void open(String run) {
        schema = "ergt_cli_" + run.replace("-", "");
        try {
            postgres = JdbcBackend.connect(url(), JdbcOptions.builder().schema(schema).poolSize(8).build());
        } catch (RuntimeException e) {
            Backends.missing("PostgreSQL", "set ERGATE_POSTGRES_URL or run PostgreSQL on 127.0.0.1:5432 (database test)", e);
        }
    }

    @Override
    List<String> backendArgs() {
        return List.of("--postgres", url(), "--schema", schema);
    }

    @Override
    JobQueue queue() {
        return postgres.queue();
    }

    @Override
    JobStore store() {
        return postgres.store();
    }

    @Override
    void cleanUp() {
        if (postgres == null) {
            return;
        }
        try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("drop schema if exists \"" + schema + "\" cascade");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not drop the test schema " + schema, e);
        } finally {
            postgres.close();
        }
    }
}
