package dev.ergate.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("The demo")
class DemoTest {

    /** What one run printed, and its exit code. */
    record Result(int exitCode, String out, String err) {
        int count(String label) {
            Matcher m = Pattern.compile("(?m)^  " + label + "\\s+(\\d+)").matcher(out);
            assertThat(m.find()).as("summary line '%s' in:%n%s", label, out).isTrue();
            return Integer.parseInt(m.group(1));
        }
    }

    private static Result run(boolean terminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Demo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), terminal, Map.of());
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Nested
    @DisplayName("with good options")
    class Good {

        @Test
        @DisplayName("runs a batch on the in-memory backend and ends with a summary that adds up")
        void summary() {
            Result result = run(false, "--jobs", "40", "--concurrency", "3", "--step-millis", "0", "--seed", "7");

            assertThat(result.exitCode()).as("exit code; err: %s", result.err()).isZero();
            assertThat(result.out()).startsWith("Ergate demo: 40 orders on the in-memory backend, 3 worker threads");
            assertThat(result.out()).containsPattern("\\[#{30}\\] 100%  completed \\d+  aborted \\d+  failed \\d+  in progress 0");
            assertThat(result.out()).containsPattern("Done in \\d+\\.\\d\\d s: 40 jobs, \\d+ steps, \\d+\\.\\d steps/s");
            int completed = result.count("completed");
            int aborted = result.count("aborted");
            int failed = result.count("failed");
            assertThat(completed + aborted + failed).isEqualTo(40);
            assertThat(completed).as("completed orders").isPositive();
            assertThat(result.out()).contains("shipped").contains("download sent");
        }

        @Test
        @DisplayName("with --metrics, ends with a Micrometer summary that agrees with the progress board")
        void metrics() {
            Result result = run(false, "--jobs", "30", "--concurrency", "3", "--step-millis", "0", "--metrics");

            assertThat(result.exitCode()).as("exit code; err: %s", result.err()).isZero();
            Matcher done = Pattern.compile("Done in [^:]+: 30 jobs, (\\d+) steps").matcher(result.out());
            assertThat(done.find()).as(result.out()).isTrue();
            int stepsRun = 0;
            Matcher row = Pattern.compile("(?m)^  (validate|reserve_stock|charge|email_download|ship)\\s+(\\d+)")
                    .matcher(result.out().substring(result.out().indexOf("Metrics (ergate-micrometer):")));
            while (row.find()) {
                stepsRun += Integer.parseInt(row.group(2));
            }
            assertThat(stepsRun).as("step runs in the metrics table").isEqualTo(Integer.parseInt(done.group(1)));
            assertThat(result.out()).contains("  jobs:").containsPattern("end to end mean \\d+\\.\\d ms")
                    .contains("completed " + result.count("completed"));
        }

        @Test
        @DisplayName("redraws one progress line in place on a terminal")
        void terminal() {
            Result result = run(true, "--jobs=10", "--concurrency=2", "--step-millis=0");

            assertThat(result.exitCode()).isZero();
            assertThat(result.out()).contains("\r[").contains("100%");
        }

        @Test
        @DisplayName("prints its usage for --help and exits 0")
        void help() {
            Result result = run(false, "--help");

            assertThat(result.exitCode()).isZero();
            assertThat(result.out()).contains("Usage: java -jar ergate-demo.jar").contains("--backend=NAME")
                    .contains("--metrics");
        }
    }

    @Nested
    @DisplayName("with bad options")
    class Bad {

        @ParameterizedTest(name = "{0} -> exit 2 naming \"{1}\"")
        @CsvSource(delimiter = '|', value = {
            "--jobs 0|--jobs must be within 1..1000000, got 0",
            "--jobs many|'many' is not an int",
            "--concurrency|Missing required parameter for option '--concurrency'",
            "--concurrency 999|--concurrency must be within 1..256",
            "--frobnicate|Unknown option: '--frobnicate'",
            "--backend mongo|unknown backend 'mongo'",
            "--help=yes|--help",
            "--backend redis --url http://127.0.0.1:6379|http://127.0.0.1:6379",
            "--url redis://x|the memory backend takes no --url"
        })
        void usage(String commandLine, String message) {
            Result result = run(false, commandLine.split(" "));

            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.err()).contains(message).contains("Usage: java -jar ergate-demo.jar");
            assertThat(result.out()).isEmpty();
        }
    }
}
