package dev.ergate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the harness's command-line entry with tiny sizes on each backend, so it can't rot: every
 * job must complete and every figure must be there and positive. No timing is asserted.
 */
class HarnessSmokeTest {

    private final ByteArrayOutputStream table = new ByteArrayOutputStream();
    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    private HarnessReport run(String... args) throws Exception {
        return BenchMain.execute(args, new PrintStream(table, true, StandardCharsets.UTF_8),
                new PrintStream(progress, true, StandardCharsets.UTF_8), System.getenv());
    }

    private void assertCompleteAndPositive(HarnessReport report) {
        assertThat(report.allCompleted()).as(report.render()).isTrue();
        PhaseResult throughput = report.phase(Harness.THROUGHPUT).orElseThrow();
        assertThat(throughput.completed()).isEqualTo(throughput.jobs());
        assertThat(throughput.stepsStarted()).isGreaterThanOrEqualTo((long) throughput.jobs() * throughput.stepsPerJob());
        assertThat(throughput.stepsPerSecond()).isPositive();
        assertThat(throughput.jobsPerSecond()).isPositive();
        assertThat(throughput.heapUsedBytes()).isPositive();
        assertThat(throughput.allocatedBytesPerStep()).isPositive();
        PhaseResult latency = report.phase(Harness.LATENCY).orElseThrow();
        assertThat(latency.completed()).isEqualTo(latency.jobs());
        assertThat(latency.latencyCount()).isEqualTo((long) latency.jobs() * (latency.stepsPerJob() - 1));
        assertThat(latency.p99Nanos()).isGreaterThanOrEqualTo(latency.p50Nanos());
        assertThat(report.baseline()).isNotNull();
        assertThat(report.baseline().stepsPerSecond()).isPositive();
        assertThat(report.ratioToBaseline()).isPresent();
        String text = table.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("throughput", "latency", "raw baseline", "ergate throughput / raw baseline");
    }

    @Test
    void memory() throws Exception {
        HarnessReport report = run("--backend", "memory", "--jobs", "300", "--steps", "3", "--workers", "2",
                "--warmup-jobs", "20", "--latency-jobs", "40", "--payload-bytes", "64", "--timeout-seconds", "60");
        assertCompleteAndPositive(report);
        assertThat(report.backend()).startsWith("memory");
    }

    @Test
    void memoryObjects() throws Exception {
        HarnessReport report = run("--backend", "memory-objects", "--jobs", "300", "--steps", "3", "--workers", "2",
                "--warmup-jobs", "20", "--latency-jobs", "40", "--payload-bytes", "64", "--timeout-seconds", "60");
        assertCompleteAndPositive(report);
        assertThat(report.backend()).startsWith("memory-objects");
    }

    @Test
    void redis() throws Exception {
        HarnessReport report = run("--backend", "redis", "--redis-url", LocalBackends.redis().toString(), "--jobs", "150", "--workers", "2", "--warmup-jobs", "0",
                "--latency-jobs", "20", "--timeout-seconds", "60");
        assertCompleteAndPositive(report);
        assertThat(report.backend()).startsWith("Redis");
    }

    @Test
    void postgres() throws Exception {
        HarnessReport report = run("--backend", "postgres", "--postgres-url", LocalBackends.postgres(), "--jobs", "60", "--workers", "2", "--warmup-jobs", "0",
                "--latency-jobs", "20", "--timeout-seconds", "60");
        assertCompleteAndPositive(report);
        assertThat(report.backend()).startsWith("PostgreSQL");
    }

    @Test
    void sqs() throws Exception {
        HarnessReport report = run("--backend", "sqs", "--sqs-endpoint", LocalBackends.sqs().toString(), "--jobs", "20", "--workers", "2", "--warmup-jobs", "0",
                "--latency-jobs", "6", "--timeout-seconds", "60");
        assertCompleteAndPositive(report);
        assertThat(report.backend()).startsWith("SQS");
    }

    @Test
    void exitStatusIsTwoForABadCommandLineAndZeroForHelp() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        int bad = BenchMain.run(new String[] {"--jobs", "-1"}, new PrintStream(table), errStream, Map.of());
        assertThat(bad).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--jobs must be at least 1, got -1").contains("Usage:");
        int help = BenchMain.run(new String[] {"--help"}, new PrintStream(table), errStream, Map.of());
        assertThat(help).isZero();
    }
}
