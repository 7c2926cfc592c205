package dev.ergate.testbackends;

import java.net.URI;
import java.util.UUID;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * A key namespace of its own on the {@link TestBackends#redis()} Redis, for one test; {@link
 * #close()} deletes its keys ({@code {namespace}:*}, as the Redis adapter names them). Needs Jedis
 * on the test class path. Not thread-safe.
 */
public final class RedisNamespace implements AutoCloseable {

    private final String url;
    private final String namespace;

    private RedisNamespace(String url, String namespace) {
        this.url = url;
        this.namespace = namespace;
    }

    /**
     * @param label part of the namespace, to tell whose keys they are
     * @return a fresh namespace; skips (or fails) the calling test when no Redis is found
     */
    public static RedisNamespace open(String label) {
        return new RedisNamespace(TestBackends.redis().url(),
                "ergate-test:" + label + ":" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** {@return the Redis URI} */
    public String url() {
        return url;
    }

    /** {@return the namespace, for {@code RedisOptions.builder().namespace(...)}} */
    public String namespace() {
        return namespace;
    }

    /** Deletes every key of the namespace: close the backends using it first. */
    @Override
    public void close() {
        ScanParams match = new ScanParams().match("{" + namespace + "}:*").count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        try (RedisClient redis = RedisClient.create(URI.create(url))) {
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
