package dev.ergate.fault;

import dev.ergate.redis.RedisBackend;
import dev.ergate.redis.RedisJobQueue;
import dev.ergate.redis.RedisJobStore;
import dev.ergate.redis.RedisOptions;
import dev.ergate.redis.RedisQueueOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** {@link FaultBackend} on Redis: one namespace per run. Thread-safe. */
final class RedisFaultBackend implements FaultBackend {

    private static final String QUEUE = "fault";

    private final BackendSpec spec;
    private final RedisBackend redis;
    private final RedisJobQueue queue;
    private final RedisJobStore store;

    RedisFaultBackend(BackendSpec spec, Duration leaseTime, int connections, String clientName, Clock clock) {
        this.spec = spec;
        this.redis = RedisBackend.connect(RedisOptions.builder().uri(spec.address()).namespace(spec.space())
                .poolSize(connections).clientName(clientName)
                .connectTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofSeconds(5)).clock(clock).build());
        this.queue = redis.queue(RedisQueueOptions.builder().name(QUEUE).leaseTime(leaseTime)
                .maxJobBytes(FaultBackend.MAX_JOB_BYTES).build());
        this.store = redis.store();
    }

    @Override
    public RedisJobQueue queue() {
        return queue;
    }

    @Override
    public RedisJobStore store() {
        return store;
    }

    @Override
    public @Nullable String putRaw(byte[] message) {
        // the ready list's documented key; a foreign producer may RPUSH a job's JSON there
        byte[] ready = ("{" + spec.space() + "}:queue:" + QUEUE + ":ready").getBytes(StandardCharsets.UTF_8);
        try (Jedis raw = raw()) {
            raw.rpush(ready, message);
        }
        return null;
    }

    @Override
    public List<Dead> deadLetters() {
        return queue.deadLetters(100_000).stream().map(d -> new Dead(d.reason(), d.body())).toList();
    }

    @Override
    public long queued() {
        return queue.counts().total();
    }

    @Override
    public void dropSpace() {
        dropNamespace(spec.address(), spec.space());
    }

    /** Deletes every key of a namespace (the store of an SQS run lives in one too). */
    static void dropNamespace(String uri, String namespace) {
        try (Jedis raw = raw(uri)) {
            ScanParams match = new ScanParams().match("{" + namespace + "}:*").count(1000);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = raw.scan(cursor, match);
                if (!page.getResult().isEmpty()) {
                    raw.del(page.getResult().toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
    }

    /** @return a plain connection of its own (plain redis:// URIs without password, as the suite uses) */
    private Jedis raw() {
        return raw(spec.address());
    }

    private static Jedis raw(String address) {
        URI uri = URI.create(address);
        return new Jedis(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
    }

    @Override
    public void close() {
        redis.close();
    }
}
