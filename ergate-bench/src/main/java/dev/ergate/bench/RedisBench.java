package dev.ergate.bench;

import dev.ergate.redis.RedisBackend;
import dev.ergate.redis.RedisJobQueue;
import dev.ergate.redis.RedisJobStore;
import dev.ergate.redis.RedisOptions;
import dev.ergate.redis.RedisQueueOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The Redis backend: {@code ergate-queue-redis}'s queue and store from one {@link RedisBackend}
 * per phase, in a namespace of the phase's own (deleted afterwards), so steps finish with the
 * adapter's atomic Lua script. Baseline: {@link RedisRawBaseline}. Not thread-safe; what it
 * opens is.
 */
final class RedisBench implements BenchBackend {

    private final String url;
    private final URI uri;

    RedisBench(String url) {
        this.url = url;
        this.uri = URI.create(url);
    }

    @Override
    public String describe() {
        try (Jedis jedis = new Jedis(uri)) {
            String info = jedis.info("server");
            String version = info.lines().filter(line -> line.startsWith("redis_version:"))
                    .map(line -> line.substring("redis_version:".length()).trim()).findFirst().orElse("?");
            Map<String, String> aof = jedis.configGet("appendonly");
            Map<String, String> fsync = jedis.configGet("appendfsync");
            return "Redis " + version + " at " + uri.getHost() + ":" + uri.getPort() + " (appendonly "
                    + aof.getOrDefault("appendonly", "?") + ", appendfsync " + fsync.getOrDefault("appendfsync", "?")
                    + "); ergate-queue-redis queue + store, atomic Lua finish";
        }
    }

    @Override
    public BackendRun open(String runId, int workers, Duration leaseTime) {
        String namespace = "ergbench-" + runId;
        RedisBackend backend = RedisBackend.connect(RedisOptions.builder()
                .uri(url).namespace(namespace).poolSize(workers + 4).build());
        RedisJobQueue queue = backend.queue(RedisQueueOptions.builder().leaseTime(leaseTime).build());
        RedisJobStore store = backend.store();
        return BackendRun.of(queue, store, () -> {
            backend.close();
            deleteKeys("{" + namespace + "}*");
        });
    }

    private void deleteKeys(String pattern) {
        try (Jedis jedis = new Jedis(uri)) {
            String cursor = ScanParams.SCAN_POINTER_START;
            ScanParams params = new ScanParams().match(pattern).count(1000);
            do {
                ScanResult<String> page = jedis.scan(cursor, params);
                List<String> keys = page.getResult();
                if (!keys.isEmpty()) {
                    jedis.del(keys.toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
    }

    @Override
    public RawBaseline baseline() {
        return new RedisRawBaseline(uri);
    }

    @Override
    public void close() {
    }
}
