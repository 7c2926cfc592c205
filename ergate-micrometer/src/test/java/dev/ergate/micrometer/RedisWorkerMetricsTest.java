package dev.ergate.micrometer;

import dev.ergate.redis.RedisBackend;
import dev.ergate.redis.RedisOptions;
import dev.ergate.testbackends.RedisNamespace;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class RedisWorkerMetricsTest {

    @Test
    void theMetersCountExactlyWhatTheWorkerRanOnRedis() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (RedisNamespace keys = RedisNamespace.open("micrometer");
                RedisBackend backend = RedisBackend.connect(RedisOptions.builder().uri(keys.url())
                        .namespace(keys.namespace()).poolSize(8).build())) {
            WorkerMetricsScenario.run(backend.queue(), backend.store(), registry);
        }
        WorkerMetricsScenario.assertExactCounts(registry);
    }
}
