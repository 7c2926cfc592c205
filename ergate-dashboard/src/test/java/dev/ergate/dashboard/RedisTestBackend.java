package dev.ergate.dashboard;

import dev.ergate.redis.RedisBackend;
import dev.ergate.redis.RedisJobQueue;
import dev.ergate.redis.RedisJobStore;
import dev.ergate.redis.RedisOptions;
import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.testkit.Backends;
import java.net.URI;
import java.util.UUID;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Redis for a test: {@code ERGATE_REDIS_URL}, else 127.0.0.1:6379, on a namespace of its own
 * whose keys are deleted on close. Skips (or fails under ERGATE_REQUIRE_BACKENDS) without Redis.
 */
final class RedisTestBackend implements TestBackend {

    static String uri() {
        String env = System.getenv("ERGATE_REDIS_URL");
        return env == null || env.isBlank() ? "redis://127.0.0.1:6379" : env.trim();
    }

    final String namespace = "ergate-test:ui:" + UUID.randomUUID().toString().substring(0, 8);
    final RedisBackend redis;
    private final RedisJobQueue queue;
    private final RedisJobStore store;
    private final JobAdmin admin;

    RedisTestBackend() {
        RedisBackend connected = null;
        try {
            connected = RedisBackend.connect(RedisOptions.fromUri(uri()).toBuilder().namespace(namespace).build());
        } catch (RuntimeException e) {
            Backends.missing("Redis", "set ERGATE_REDIS_URL or run Redis on 127.0.0.1:6379", e);
        }
        this.redis = connected;
        this.queue = redis.queue();
        this.store = redis.store();
        this.admin = redis.admin(store, queue);
    }

    @Override
    public JobQueue queue() {
        return queue;
    }

    @Override
    public JobStore store() {
        return store;
    }

    @Override
    public JobAdmin admin() {
        return admin;
    }

    @Override
    public void close() {
        redis.close();
        try (Jedis jedis = new Jedis(URI.create(uri()))) {
            ScanParams match = new ScanParams().match("{" + namespace + "}:*").count(1000);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, match);
                if (!page.getResult().isEmpty()) {
                    jedis.del(page.getResult().toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
    }
}
