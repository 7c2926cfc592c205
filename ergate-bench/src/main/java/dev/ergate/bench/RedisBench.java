package dev.ergate.bench;

import dev.ergate.redis.RedisBackend;
import dev.ergate.redis.RedisJobQueue;
import dev.ergate.redis.RedisJobStore;
import dev.ergate.redis.RedisOptions;
import dev.ergate.redis.RedisQueueOptions;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The Redis backend: {@code ergate-queue-redis}'s queue and store from one {@link RedisBackend}
 * per phase, in a namespace of the phase's own (deleted afterwards), so steps finish with the
 * adapter's atomic Lua script. A {@code redis-cluster://host:port[,host:port...]} URL runs it on
 * a Redis Cluster (every key of a namespace is in one slot, so on one node); the raw baseline
 * needs a single server. Baseline: {@link RedisRawBaseline}. Not thread-safe; what it opens is.
 */
final class RedisBench implements BenchBackend {

    private final String url;
    /** The parsed cluster URL, or null for a single server. */
    private final @Nullable ClusterUrl cluster;

    RedisBench(String url) {
        this.url = url;
        String scheme = url.trim().toLowerCase(Locale.ROOT);
        this.cluster = scheme.startsWith("redis-cluster://") || scheme.startsWith("rediss-cluster://")
                ? ClusterUrl.parse(url) : null;
    }

    @Override
    public String describe() {
        // on a cluster, one node's INFO: they all run the same version here
        try (Jedis redis = cluster != null ? new Jedis(cluster.nodes().iterator().next(), cluster.clientConfig())
                : new Jedis(URI.create(url))) {
            String info = redis.info("server");
            String version = info.lines().filter(line -> line.startsWith("redis_version:"))
                    .map(line -> line.substring("redis_version:".length()).trim()).findFirst().orElse("?");
            return "Redis " + version + (cluster != null ? " Cluster" : "") + " at " + redacted()
                    + "; ergate-queue-redis queue + store, atomic Lua finish";
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
            deleteNamespace(namespace);
        });
    }

    /** Deletes the run's keys; the pattern's hash tag routes the SCAN to the slot's node on a cluster. */
    private void deleteNamespace(String namespace) {
        try (UnifiedJedis redis = connect()) {
            String cursor = ScanParams.SCAN_POINTER_START;
            ScanParams params = new ScanParams().match("{" + namespace + "}*").count(1000);
            do {
                ScanResult<String> page = redis.scan(cursor, params);
                List<String> keys = page.getResult();
                if (!keys.isEmpty()) {
                    redis.del(keys.toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
    }

    private UnifiedJedis connect() {
        return cluster != null
                ? RedisClusterClient.builder().nodes(cluster.nodes()).clientConfig(cluster.clientConfig()).build()
                : RedisClient.create(URI.create(url));
    }

    /** {@return the URL without its credentials} */
    private String redacted() {
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        return scheme >= 0 && at > scheme ? url.substring(0, scheme + 3) + "***@" + url.substring(at + 1) : url;
    }

    @Override
    public RawBaseline baseline() {
        if (cluster != null) {
            throw new IllegalArgumentException("the raw Redis baseline needs a single server, not the cluster URL "
                    + redacted() + ": run with --no-baseline, or give a redis:// URL");
        }
        return new RedisRawBaseline(URI.create(url));
    }

    @Override
    public void close() {
    }

    /** The parts of a {@code redis[s]-cluster://[user:password@]host:port[,host:port...]} URL the bench needs. */
    record ClusterUrl(boolean tls, @Nullable String user,
            @Nullable String password, Set<HostAndPort> nodes) {

        /** {@return the client settings the URL gives: TLS and the credentials} */
        DefaultJedisClientConfig clientConfig() {
            DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder().ssl(tls);
            if (user != null) {
                config.user(user);
            }
            if (password != null) {
                config.password(password);
            }
            return config.build();
        }

        static ClusterUrl parse(String url) {
            String trimmed = url.trim();
            int schemeEnd = trimmed.indexOf("://");
            String rest = trimmed.substring(schemeEnd + 3);
            int slash = rest.indexOf('/');
            String authority = slash < 0 ? rest : rest.substring(0, slash);
            int at = authority.lastIndexOf('@');
            String user = null;
            String password = null;
            if (at >= 0) {
                String credentials = authority.substring(0, at);
                int colon = credentials.indexOf(':');
                user = colon < 0 ? credentials : credentials.substring(0, colon);
                password = colon < 0 ? null : credentials.substring(colon + 1);
                user = user.isEmpty() ? null : user;
            }
            Set<HostAndPort> nodes = new LinkedHashSet<>();
            for (String node : authority.substring(at + 1).split(",", -1)) {
                try {
                    nodes.add(HostAndPort.from(node.trim()));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("a Redis Cluster URL lists its nodes as host:port,host:port;"
                            + " this one has \"" + node.trim() + "\"");
                }
            }
            return new ClusterUrl(trimmed.toLowerCase(Locale.ROOT).startsWith("rediss"), user, password, nodes);
        }
    }
}
