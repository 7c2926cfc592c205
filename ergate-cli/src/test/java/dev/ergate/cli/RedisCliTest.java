package dev.ergate.cli;

import dev.ergate.redis.RedisBackend;
import dev.ergate.redis.RedisOptions;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.testkit.Backends;
import java.net.URI;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** The command on Redis, next to a worker on the same namespace. */
class RedisCliTest extends CliScenario {

    static String uri() {
        String env = System.getenv("ERGATE_REDIS_URL");
        return env == null || env.isBlank() ? "redis://127.0.0.1:6379" : env.trim();
    }

    private String namespace;
    private RedisBackend redis;
    private JobQueue queue;
    private JobStore store;

    @Override
    void open(String run) {
        namespace = "ergate-test:cli:" + run;
        try {
            redis = RedisBackend.connect(RedisOptions.fromUri(uri()).toBuilder().namespace(namespace).build());
        } catch (RuntimeException e) {
            Backends.missing("Redis", "set ERGATE_REDIS_URL or run Redis on 127.0.0.1:6379", e);
        }
        queue = redis.queue();
        store = redis.store();
    }

    @Override
    List<String> backendArgs() {
        return List.of("--redis", uri(), "--namespace", namespace);
    }

    @Override
    JobQueue queue() {
        return queue;
    }

    @Override
    JobStore store() {
        return store;
    }

    @Override
    void cleanUp() {
        if (redis == null) {
            return;
        }
        redis.close();
        deleteNamespace(namespace);
    }

    /** Skips (or fails, under ERGATE_REQUIRE_BACKENDS) when no Redis answers. */
    static void requireRedis() {
        try (Jedis jedis = new Jedis(URI.create(uri()))) {
            jedis.ping();
        } catch (RuntimeException e) {
            Backends.missing("Redis", "set ERGATE_REDIS_URL or run Redis on 127.0.0.1:6379", e);
        }
    }

    static void deleteNamespace(String namespace) {
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
