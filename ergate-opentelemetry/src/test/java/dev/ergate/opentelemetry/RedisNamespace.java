package dev.ergate.opentelemetry;

import dev.ergate.redis.RedisBackend;
import dev.ergate.redis.RedisOptions;
import dev.ergate.testkit.Backends;
import java.net.URI;
import java.util.UUID;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * A Redis backend on a namespace of its own (ERGATE_REDIS_URL, else 127.0.0.1:6379); closing it
 * deletes the namespace's keys. Skips the test when no Redis answers (fails under
 * ERGATE_REQUIRE_BACKENDS=true).
 */
final class RedisNamespace implements AutoCloseable {

    final RedisBackend backend;
    private final String uri;

    private RedisNamespace(RedisBackend backend, String uri) {
        this.backend = backend;
        this.uri = uri;
    }

    static RedisNamespace open() {
        String env = System.getenv("ERGATE_REDIS_URL");
        String uri = env == null || env.isBlank() ? "redis://127.0.0.1:6379" : env.trim();
        String namespace = "ergate-test:opentelemetry:" + UUID.randomUUID().toString().substring(0, 8);
        try {
            return new RedisNamespace(RedisBackend.connect(RedisOptions.builder().uri(uri).namespace(namespace)
                    .poolSize(8).build()), uri);
        } catch (RuntimeException e) {
            Backends.missing("Redis", "set ERGATE_REDIS_URL=redis://host:port/db or run Redis on 127.0.0.1:6379", e);
            throw e;
        }
    }

    @Override
    public void close() {
        ScanParams match = new ScanParams().match("{" + backend.options().namespace() + "}:*").count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        backend.close();
        try (RedisClient redis = RedisClient.create(URI.create(uri))) {
            do {
                ScanResult<String> page = redis.scan(cursor, match);
                if (!page.getResult().isEmpty()) {
                    redis.del(page.getResult().toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
    }
}
