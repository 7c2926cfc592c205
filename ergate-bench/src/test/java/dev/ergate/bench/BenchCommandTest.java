package dev.ergate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;

class BenchCommandTest {

    private static HarnessOptions parse(Map<String, String> env, String... args) {
        HarnessOptions options = BenchCommand.parse(BenchCommand.commandLine(), args, env);
        assertThat(options).as("not a help request").isNotNull();
        return options;
    }

    @Test
    void readsEveryOptionInBothForms() {
        HarnessOptions options = parse(Map.of(),
                "--backend", "postgresql", "--jobs=5000", "--steps", "5", "--workers", "8", "--payload-bytes", "1024",
                "--warmup-jobs", "0", "--latency-jobs", "300", "--in-flight", "2", "--no-baseline",
                "--timeout-seconds", "30", "--lease-seconds", "5", "--postgres-url", "jdbc:postgresql://db/x");
        assertThat(options.backend()).isEqualTo(BackendKind.POSTGRES);
        assertThat(options.jobs()).isEqualTo(5000);
        assertThat(options.steps()).isEqualTo(5);
        assertThat(options.workers()).isEqualTo(8);
        assertThat(options.payloadBytes()).isEqualTo(1024);
        assertThat(options.warmupJobs()).isZero();
        assertThat(options.latencyJobs()).isEqualTo(300);
        assertThat(options.inFlight()).isEqualTo(2);
        assertThat(options.baseline()).isFalse();
        assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.leaseTime()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.postgresUrl()).isEqualTo("jdbc:postgresql://db/x");
        assertThat(parse(Map.of(), "--baseline", "off").baseline()).isFalse();
        assertThat(parse(Map.of(), "--backend", "MEMORY-OBJECTS").backend()).isEqualTo(BackendKind.MEMORY_OBJECTS);
    }

    @Test
    void derivedDefaultsFollowJobsAndWorkers() {
        HarnessOptions options = parse(Map.of(), "--jobs", "1000", "--workers", "3");
        assertThat(options.backend()).isEqualTo(BackendKind.MEMORY);
        assertThat(options.warmupJobs()).isEqualTo(100);
        assertThat(options.latencyJobs()).isEqualTo(200);
        assertThat(options.inFlight()).isEqualTo(3);
        assertThat(options.baseline()).isTrue();
        assertThat(options.sqsEndpoint()).isNull();
        assertThat(options.redisUrl()).isEqualTo(HarnessOptions.DEFAULT_REDIS_URL);
    }

    @Test
    void backendLocationsComeFromTheEnvironmentUnlessAnOptionGivesThem() {
        Map<String, String> env = Map.of(
                HarnessOptions.REDIS_URL_ENV, "redis://env:6379",
                HarnessOptions.POSTGRES_URL_ENV, "jdbc:postgresql://env/test",
                HarnessOptions.SQS_ENDPOINT_ENV, "http://env:9324");
        HarnessOptions fromEnv = parse(env);
        assertThat(fromEnv.redisUrl()).isEqualTo("redis://env:6379");
        assertThat(fromEnv.postgresUrl()).isEqualTo("jdbc:postgresql://env/test");
        assertThat(fromEnv.sqsEndpoint()).isEqualTo("http://env:9324");
        assertThat(parse(env, "--redis-url", "redis://cli:1").redisUrl()).isEqualTo("redis://cli:1");
    }

    @Test
    void badArgumentsNameWhatIsWrong() {
        assertThatThrownBy(() -> parse(Map.of(), "--backend", "kafka"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("--backend").hasMessageContaining("kafka");
        assertThatThrownBy(() -> parse(Map.of(), "--jobs", "many"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("--jobs").hasMessageContaining("many");
        assertThatThrownBy(() -> parse(Map.of(), "--jobs", "0"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("--jobs must be at least 1, got 0");
        assertThatThrownBy(() -> parse(Map.of(), "--workers"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("--workers");
        assertThatThrownBy(() -> parse(Map.of(), "--speed", "9"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("--speed");
        assertThatThrownBy(() -> parse(Map.of(), "fast"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("'fast'");
    }

    @Test
    void helpIsNoRunAndListsEveryOption() {
        assertThat(BenchCommand.parse(BenchCommand.commandLine(), new String[] {"--help"}, Map.of())).isNull();
        assertThat(BenchCommand.commandLine().getUsageMessage())
                .contains("Usage: java -jar ergate-bench.jar [options]")
                .contains("memory|memory-objects|redis|postgres|sqs")
                .contains("--jobs", "--steps", "--workers", "--payload-bytes", "--warmup-jobs", "--latency-jobs",
                        "--in-flight", "--no-baseline", "--timeout-seconds", "--lease-seconds", "--redis-url",
                        "--postgres-url", "--sqs-endpoint");
    }
}
