package dev.ergate.examples;

import dev.ergate.redis.RedisBackend;
import dev.ergate.redis.RedisJobQueue;
import dev.ergate.redis.RedisJobStore;
import dev.ergate.redis.RedisOptions;
import dev.ergate.redis.RedisQueueOptions;
import dev.ergate.redis.RedisStoreOptions;
import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.StateStore;
import java.time.Duration;
import java.util.Map;

/**
 * Redis ({@code --backend redis}): queue and store from one {@link RedisBackend}, so every step
 * finishes in one Lua script. Each run gets a queue of its own, so jobs left by an earlier,
 * interrupted run don't mix in; final jobs expire after a day. Thread-safe.
 */
final class RedisDemoBackend implements DemoBackend {

    static final String URL_ENV = "ERGATE_REDIS_URL";

    private final RedisBackend redis;
    private final RedisJobQueue queue;
    private final RedisJobStore store;

    private RedisDemoBackend(RedisBackend redis, String runId) {
        this.redis = redis;
        this.queue = redis.queue(RedisQueueOptions.builder().name("demo-" + runId).leaseTime(Duration.ofSeconds(30)).build());
        this.store = redis.store(RedisStoreOptions.builder().retention(Duration.ofDays(1)).build());
    }

    static DemoBackend open(DemoOptions options, Map<String, String> environment) {
        String url = DemoBackends.urlOf(options, environment, URL_ENV, RedisOptions.DEFAULT_URI);
        RedisBackend redis = RedisBackend.connect(RedisOptions.fromUri(url).toBuilder()
                .poolSize(options.concurrency() + 4)
                .build());
        return new RedisDemoBackend(redis, DemoBackends.runId());
    }

    @Override
    public JobQueue queue() {
        return queue;
    }

    @Override
    public StateStore store() {
        return store;
    }

    @Override
    public JobAdmin admin() {
        return redis.admin(store, queue);
    }

    @Override
    public String describe() {
        return "Redis at " + redis.endpoint();
    }

    @Override
    public void close() {
        redis.close();
    }
}
