package dev.ergate.opentelemetry;

import org.junit.jupiter.api.Test;

class RedisTracingTest {

    @Test
    void theTraceContextSurvivesTheRedisRoundTrip() {
        try (RedisNamespace redis = RedisNamespace.open(); TraceScenario scenario = new TraceScenario()) {
            scenario.runAndCheck(redis.backend.queue(), redis.backend.store());
        }
    }
}
