package dev.ergate.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.testbackends.TestBackends;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The demo's other backends, each run for real with a small batch: Redis and PostgreSQL where
 * {@link TestBackends} finds them, SQS on the demo's own in-process server.
 */
@DisplayName("The demo on a real backend")
class DemoOnRealBackendsTest {

    private static String run(String backend, String... more) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("--backend", backend, "--jobs", "12", "--concurrency", "3",
                "--step-millis", "0"));
        args.addAll(List.of(more));
        int code = Demo.run(args.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false, System.getenv());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as("exit code; out:%n%s%nerr:%n%s", printed, err).isZero();
        assertThat(printed).containsPattern("in progress 0").containsPattern("Done in .*: 12 jobs");
        return printed;
    }

    @Test
    @DisplayName("--backend redis runs every job to its end")
    void redis() {
        assertThat(run("redis", "--url", TestBackends.redis().url())).startsWith("Ergate demo: 12 orders on Redis at");
    }

    @Test
    @DisplayName("--backend postgres runs every job to its end")
    void postgres() {
        assertThat(run("postgres", "--url", TestBackends.postgres().url())).startsWith("Ergate demo: 12 orders on PostgreSQL");
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
}
