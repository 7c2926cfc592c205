package dev.ergate.fault;

import dev.ergate.testkit.Backends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Scenario 2 on PostgreSQL, on a throwaway cluster (initdb in a temp dir owned by the postgres
 * user, own port): stopped with {@code pg_ctl -m immediate} (a crash) and started again; and,
 * separately, every connection of the worker's pool terminated with {@code pg_terminate_backend}
 * (filtered by application_name). The shared server is never touched. Needs root (runuser).
 */
@DisplayName("PostgreSQL restarted or its connections terminated mid-run")
class PostgresRestartTest {

    private @Nullable Path dir;
    private @Nullable String bin;
    private int port;

    @BeforeEach
    void startCluster() throws Exception {
        try (var dirs = Files.list(Path.of("/usr/lib/postgresql"))) {
            bin = dirs.map(d -> d.resolve("bin")).filter(d -> Files.isExecutable(d.resolve("initdb")))
                    .max(Comparator.naturalOrder()).orElseThrow().toString();
            dir = Files.createTempDirectory("ergate-fault-pg");
            port = Commands.freePort();
            Commands.run("chown", "postgres:postgres", dir.toString());
            Commands.run("runuser", "-u", "postgres", "--", bin + "/initdb", "-D", dir.resolve("data").toString(),
                    "-A", "trust", "-U", "postgres");
            pgCtl("start");
        } catch (Exception e) {
            Backends.missing("a throwaway PostgreSQL cluster",
                    "run as root with PostgreSQL installed under /usr/lib/postgresql/*/bin", e);
        }
    }

    private void pgCtl(String action, String... more) throws Exception {
        String[] base = {"runuser", "-u", "postgres", "--", bin + "/pg_ctl", "-D", dir.resolve("data").toString(),
            "-l", dir.resolve("server.log").toString(), "-w", "-o",
            "-c listen_addresses=127.0.0.1 -c port=" + port + " -c unix_socket_directories=" + dir, action};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        Commands.run(all);
    }

    private BackendSpec spec() {
        return new BackendSpec("postgres", "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres",
                "ergf_restart");
    }

    @Test
    @DisplayName("crash and restart: the worker retries through the outage and finishes every job")
    void postgresRestart() throws Exception {
        BackendRestartScenario.run("2 backend restart (pg_ctl stop -m immediate, start)", "PostgreSQL", spec(), () -> {
            pgCtl("stop", "-m", "immediate");
            BackendRestartScenario.hold(Duration.ofSeconds(3));
            pgCtl("start");
            return System.currentTimeMillis();
        }, "PostgreSQL crash + restart");
    }

    @Test
    @DisplayName("terminated connections: the worker reconnects and finishes every job")
    void connectionsTerminated() throws Exception {
        BackendRestartScenario.run("2 connections terminated", "PostgreSQL", spec(), () -> {
            try (Connection c = DriverManager.getConnection(spec().address());
                    Statement s = c.createStatement()) {
                s.execute("select pg_terminate_backend(pid) from pg_stat_activity"
                        + " where application_name = 'ergate-fault-test'");
            }
            return System.currentTimeMillis();
        }, "pg_terminate_backend of all pool connections");
    }

    @AfterEach
    void stopCluster() throws Exception {
        if (dir != null) {
            try {
                pgCtl("stop", "-m", "immediate");
            } catch (Exception e) {
                // already stopped
            }
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
