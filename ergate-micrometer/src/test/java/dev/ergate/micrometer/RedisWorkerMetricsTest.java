package dev.ergate.micrometer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class RedisWorkerMetricsTest {

    @Test
    void theMetersCountExactlyWhatTheWorkerRanOnRedis() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (RedisNamespace redis = RedisNamespace.open()) {
            WorkerMetricsScenario.run(redis.backend.queue(), redis.backend.store(), registry);
        }
        WorkerMetricsScenario.assertExactCounts(registry);
    }
}
