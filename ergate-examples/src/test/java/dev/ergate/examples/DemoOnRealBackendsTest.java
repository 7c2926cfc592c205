package dev.ergate.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.testkit.Backends;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The demo's other backends, each run for real with a small batch: Redis and PostgreSQL from
 * their environment variables or the local defaults, SQS on the in-process server.
 */
@DisplayName("The demo on a real backend")
class DemoOnRealBackendsTest {

    private static String run(String backend) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Demo.run(new String[] {"--backend", backend, "--jobs", "12", "--concurrency", "3", "--step-millis", "0"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false, System.getenv());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as("exit code; out:%n%s%nerr:%n%s", printed, err).isZero();
        assertThat(printed).containsPattern("in progress 0").containsPattern("Done in .*: 12 jobs");
        return printed;
    }

    private static void requireReachable(String backend, String url, int defaultPort, String howTo) {
        URI uri = URI.create(url.replaceFirst("^jdbc:", ""));
        int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), 2_000);
        } catch (IOException e) {
            Backends.missing(backend, howTo, e);
        }
    }

    @Test
    @DisplayName("--backend redis runs every job to its end")
    void redis() {
        requireReachable("Redis", env(RedisDemoBackend.URL_ENV, "redis://127.0.0.1:6379"), 6379,
                "set ERGATE_REDIS_URL or run Redis on 127.0.0.1:6379");
        assertThat(run("redis")).startsWith("Ergate demo: 12 orders on Redis at");
    }

    @Test
    @DisplayName("--backend postgres runs every job to its end")
    void postgres() {
        requireReachable("PostgreSQL", env(PostgresDemoBackend.URL_ENV, PostgresDemoBackend.DEFAULT_URL), 5432,
                "set ERGATE_POSTGRES_URL or run PostgreSQL on 127.0.0.1:5432 with a database 'test'");
        assertThat(run("postgres")).startsWith("Ergate demo: 12 orders on PostgreSQL");
    }

    @Test
    @DisplayName("--backend sqs starts an in-process SQS server when no endpoint is given, and runs every job")
    void sqs() {
        if (System.getenv(SqsDemoBackend.ENDPOINT_ENV) == null) {
            assertThat(run("sqs")).startsWith("Ergate demo: 12 orders on an in-process SQS server");
        } else {
            run("sqs");
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

}
