package dev.ergate.fault;

import dev.ergate.testkit.Backends;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import redis.clients.jedis.Jedis;

/**
 * The fault scenarios on Redis: the shared server ({@code ERGATE_REDIS_URL}, else 127.0.0.1:6379),
 * one namespace per test, deleted after. Never restarts or flushes that server (see
 * {@link RedisRestartTest} for a private one).
 */
@DisplayName("Faults on Redis")
class RedisFaultTest extends FaultScenarios {

    static String sharedUri() {
        String env = System.getenv("ERGATE_REDIS_URL");
        return env == null || env.isBlank() ? "redis://127.0.0.1:6379" : env.trim();
    }

    @Override
    protected BackendSpec newSpec(String label) {
        URI uri = URI.create(sharedUri());
        try (Jedis ping = new Jedis(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort())) {
            ping.ping();
        } catch (RuntimeException e) {
            Backends.missing("Redis", "set ERGATE_REDIS_URL=redis://host:port or run Redis on 127.0.0.1:6379", e);
        }
        return new BackendSpec("redis", sharedUri(), "ergate-fault:" + label + ":" + UUID.randomUUID().toString()
                .substring(0, 8));
    }

    @Override
    protected String backendName() {
        return "Redis";
    }
}
