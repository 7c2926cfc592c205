package dev.ergate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HarnessOptionsTest {

    @Test
    void readsEveryOptionInBothForms() {
        HarnessOptions options = HarnessOptions.parse(new String[] {
            "--backend", "postgresql", "--jobs=5000", "--steps", "5", "--workers", "8", "--payload-bytes", "1024",
            "--warmup-jobs", "0", "--latency-jobs", "300", "--in-flight", "2", "--no-baseline",
            "--timeout-seconds", "30", "--lease-seconds", "5", "--postgres-url", "jdbc:postgresql://db/x"
        }, Map.of());
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
    }

    @Test
    void derivedDefaultsFollowJobsAndWorkers() {
        HarnessOptions options = HarnessOptions.parse(new String[] {"--jobs", "1000", "--workers", "3"}, Map.of());
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
        HarnessOptions fromEnv = HarnessOptions.parse(new String[0], env);
        assertThat(fromEnv.redisUrl()).isEqualTo("redis://env:6379");
        assertThat(fromEnv.postgresUrl()).isEqualTo("jdbc:postgresql://env/test");
        assertThat(fromEnv.sqsEndpoint()).isEqualTo("http://env:9324");
        HarnessOptions overridden = HarnessOptions.parse(new String[] {"--redis-url", "redis://cli:1"}, env);
        assertThat(overridden.redisUrl()).isEqualTo("redis://cli:1");
    }

    @Test
    void badArgumentsNameWhatIsWrong() {
        assertThatThrownBy(() -> HarnessOptions.parse(new String[] {"--backend", "kafka"}, Map.of()))
                .isInstanceOf(UsageException.class).hasMessageContaining("--backend").hasMessageContaining("kafka");
        assertThatThrownBy(() -> HarnessOptions.parse(new String[] {"--jobs", "many"}, Map.of()))
                .isInstanceOf(UsageException.class).hasMessageContaining("--jobs").hasMessageContaining("many");
        assertThatThrownBy(() -> HarnessOptions.parse(new String[] {"--jobs", "0"}, Map.of()))
                .isInstanceOf(UsageException.class).hasMessageContaining("--jobs must be at least 1, got 0");
        assertThatThrownBy(() -> HarnessOptions.parse(new String[] {"--workers"}, Map.of()))
                .isInstanceOf(UsageException.class).hasMessageContaining("--workers needs a value");
        assertThatThrownBy(() -> HarnessOptions.parse(new String[] {"--speed", "9"}, Map.of()))
                .isInstanceOf(UsageException.class).hasMessageContaining("unknown option --speed");
        assertThatThrownBy(() -> HarnessOptions.parse(new String[] {"fast"}, Map.of()))
                .isInstanceOf(UsageException.class).hasMessageContaining("'fast'");
    }

    @Test
    void helpIsAUsageExceptionMarkedAsHelp() {
        assertThatThrownBy(() -> HarnessOptions.parse(new String[] {"--help"}, Map.of()))
                .isInstanceOfSatisfying(UsageException.class, e -> assertThat(e.isHelp()).isTrue());
        assertThat(HarnessOptions.usage()).contains("--backend memory|memory-objects|redis|postgres|sqs");
    }
}
