package dev.ergate.fault;

import dev.ergate.testbackends.TestBackends;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;

/**
 * The fault scenarios on Redis: the shared server ({@link TestBackends#redis()}),
 * one namespace per test, deleted after. Never restarts or flushes that server (see
 * {@link RedisRestartTest} for a private one).
 */
@DisplayName("Faults on Redis")
class RedisFaultTest extends FaultScenarios {

    static String sharedUri() {
        return TestBackends.redis().url();
    }

    @Override
    protected BackendSpec newSpec(String label) {
        return new BackendSpec("redis", sharedUri(), "ergate-fault:" + label + ":" + UUID.randomUUID().toString()
                .substring(0, 8));
    }

    @Override
    protected String backendName() {
        return "Redis";
    }
}
