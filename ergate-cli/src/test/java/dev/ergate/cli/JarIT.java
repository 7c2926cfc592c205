package dev.ergate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.testkit.Backends;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged {@code target/ergate.jar}, run with {@code java -jar} as a user would: help, a
 * command on PostgreSQL with a password in its URL (never printed), and the dashboard serving.
 */
class JarIT {

    private static final String PASSWORD = "hunter2-" + UUID.randomUUID().toString().substring(0, 6);
    private static String schema;

    @BeforeAll
    static void schema() {
        schema = "ergt_cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (Connection c = DriverManager.getConnection(PostgresCliTest.jdbcUrl())) {
            c.isValid(2);
        } catch (Exception e) {
            Backends.missing("PostgreSQL", "run PostgreSQL on 127.0.0.1:5432 (database test) or set ERGATE_POSTGRES_URL", e);
        }
    }

    @AfterAll
    static void drop() throws Exception {
        try (Connection c = DriverManager.getConnection(PostgresCliTest.jdbcUrl()); Statement s = c.createStatement()) {
            s.execute("drop schema if exists " + schema + " cascade");
        }
    }

    /** The PostgreSQL URL with a password added (the local server trusts, so it is ignored). */
    private static String urlWithPassword() {
        return "postgres://postgres:" + PASSWORD + "@127.0.0.1:5432/test";
    }

    private static Process start(String... args) throws IOException {
        Path jar = Path.of(System.getProperty("ergate.cli.jar", "target/ergate.jar"));
        assertThat(jar).as("the packaged jar (./mvnw -pl ergate-cli -am package)").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("COLUMNS", "80");
        return builder.start();
    }

    private static String finish(Process process) throws Exception {
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the command ends").isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void helpListsTheCommandsAndExitCodes() throws Exception {
        Process help = start("--help");
        String out = finish(help);
        assertThat(help.exitValue()).isZero();
        assertThat(out).contains("jobs", "dead-letters", "stats", "submit", "dashboard", "Exit status");
    }

    @Test
    void aCommandOnPostgresNeverPrintsThePassword() throws Exception {
        Process submit = start("--postgres", urlWithPassword(), "--schema", schema, "submit", "orders", "--input", "3");
        String id = finish(submit).trim();
        assertThat(submit.exitValue()).as(id).isZero();

        Process stats = start("--postgres", urlWithPassword(), "--schema", schema, "stats");
        String out = finish(stats);
        assertThat(stats.exitValue()).as(out).isZero();
        assertThat(out).contains("PostgreSQL").contains("orders").contains("QUEUED").doesNotContain(PASSWORD);

        Process missing = start("--postgres", urlWithPassword(), "--schema", schema, "jobs", "show", "nope");
        String error = finish(missing);
        assertThat(missing.exitValue()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(error).contains("no job nope").doesNotContain(PASSWORD);

        Process unreachable = start("--redis", "redis://:" + PASSWORD + "@127.0.0.1:1/0", "stats");
        String failure = finish(unreachable);
        assertThat(unreachable.exitValue()).as(failure).isEqualTo(ExitCodes.BACKEND);
        assertThat(failure).doesNotContain(PASSWORD);
    }

    @Test
    void theDashboardServes() throws Exception {
        Process dashboard = start("--postgres", urlWithPassword(), "--schema", schema, "dashboard", "--port", "0");
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(dashboard.getInputStream(), StandardCharsets.UTF_8))) {
            Pattern at = Pattern.compile(" at (http://127\\.0\\.0\\.1:[0-9]+/)");
            String line;
            URI uri = null;
            List<String> seen = new ArrayList<>();
            while (uri == null && (line = lines.readLine()) != null) {
                seen.add(line);
                Matcher m = at.matcher(line);
                if (m.find()) {
                    uri = URI.create(m.group(1));
                }
            }
            assertThat(uri).as("the dashboard's address in %s", seen).isNotNull();
            assertThat(String.join("\n", seen)).doesNotContain(PASSWORD);
            HttpResponse<String> overview = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(uri.resolve("/api/overview")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(overview.statusCode()).isEqualTo(200);
            assertThat(overview.body()).contains("\"workflows\"");
        } finally {
            dashboard.destroy();
            dashboard.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
