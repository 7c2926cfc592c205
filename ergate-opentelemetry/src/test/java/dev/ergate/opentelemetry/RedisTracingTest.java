package dev.ergate.opentelemetry;

import dev.ergate.redis.RedisBackend;
import dev.ergate.redis.RedisOptions;
import dev.ergate.testbackends.RedisNamespace;
import org.junit.jupiter.api.Test;

class RedisTracingTest {

    @Test
    void theTraceContextSurvivesTheRedisRoundTrip() {
        try (RedisNamespace keys = RedisNamespace.open("opentelemetry");
                RedisBackend backend = RedisBackend.connect(RedisOptions.builder().uri(keys.url())
                        .namespace(keys.namespace()).poolSize(8).build());
                TraceScenario scenario = new TraceScenario()) {
            scenario.runAndCheck(backend.queue(), backend.store());
        }
    }
}
