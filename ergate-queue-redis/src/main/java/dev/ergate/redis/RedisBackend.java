package dev.ergate.redis;

import dev.ergate.spi.JobQueue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One Redis server (or cluster slot) that Ergate uses: it owns the connection pool and makes the
 * {@linkplain #queue() queues} and the {@linkplain #store() store} that share it, which then
 * finish steps atomically (one Lua script per step). Closing it gives back claimed jobs and
 * closes the connections its queues and store use. Thread-safe.
 *
 * <pre>{@code
 * try (RedisBackend redis = RedisBackend.connect("redis://127.0.0.1:6379/0")) {
 *     RedisJobQueue queue = redis.queue();
 *     RedisJobStore store = redis.store();
 *     // give both to the Ergate worker and publisher
 * }
 * }</pre>
 */
public final class RedisBackend implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisBackend.class);

    private final RedisOptions options;
    private final UnifiedJedis client;
    private final RedisFailures failures;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The queues made here, so close() can release the jobs their finishes claimed (weakly held). */
    private final Set<RedisJobQueue> queues = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private RedisBackend(RedisOptions options, UnifiedJedis client) {
        this.options = options;
        this.client = client;
        this.failures = new RedisFailures(options.parsedUri().toString());
    }

    /**
     * Connects with the default options and the given URI.
     *
     * @param uri {@code redis[s]://[[user]:password@]host[:port][/database]}
     * @return the backend, connected
     * @throws IllegalArgumentException if the URI is not a Redis URI
     * @throws dev.ergate.spi.ErgateBackendException if the server can't be reached or refuses the
     *     credentials
     */
    public static RedisBackend connect(String uri) {
        return connect(RedisOptions.fromUri(uri));
    }

    /**
     * Connects, and checks the server answers (one read of a key in the namespace), so a wrong
     * address or password fails here.
     *
     * @param options where and how to connect
     * @return the backend, connected
     * @throws dev.ergate.spi.ErgateBackendException if the server can't be reached or refuses the
     *     credentials
     */
    public static RedisBackend connect(RedisOptions options) {
        RedisUri uri = options.parsedUri();
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis(options.connectTimeout()))
                .socketTimeoutMillis(millis(options.socketTimeout()))
                .blockingSocketTimeoutMillis(millis(options.socketTimeout().plus(RedisJobQueue.MAX_BLOCK)))
                .database(uri.database())
                .clientName(options.clientName());
        if (uri.tls()) {
            config.sslOptions(sslOptions(options));
        }
        if (uri.user() != null) {
            config.user(uri.user());
        }
        if (uri.password() != null) {
            config.password(uri.password());
        }
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(options.poolSize());
        pool.setMaxIdle(options.poolSize());
        pool.setMinIdle(0);
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(options.poolWait());
        RedisFailures failures = new RedisFailures(uri.toString());
        UnifiedJedis client = failures.call("connect", () -> options.cluster()
                ? RedisClusterClient.builder() // reads the cluster's topology from the node now
                        .nodes(clusterNodes(uri))
                        .clientConfig(config.build())
                        .poolConfig(pool)
                        .build()
                : RedisClient.builder()
                        .hostAndPort(uri.host(), uri.port())
                        .clientConfig(config.build())
                        .poolConfig(pool)
                        .build());
        RedisBackend backend = new RedisBackend(options, client);
        try {
            // asks the node that owns the namespace's slot (on a single server: the server)
            String probe = "{" + options.namespace() + "}:ping";
            backend.failures.call("connect (EXISTS " + probe + ")", () -> client.exists(probe));
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        LOG.debug("connected to Redis: {}", options);
        return backend;
    }

    /** {@return a queue named {@code jobs} with the default {@link RedisQueueOptions}} */
    public RedisJobQueue queue() {
        return queue(RedisQueueOptions.defaults());
    }

    /**
     * @param queueOptions the queue's name, lease time and limits
     * @return a queue on this backend; queues with the same name share their jobs
     */
    public RedisJobQueue queue(RedisQueueOptions queueOptions) {
        ensureOpen();
        RedisJobQueue queue = new RedisJobQueue(this, queueOptions);
        queues.add(queue);
        return queue;
    }

    /** {@return the job store of this backend's namespace, keeping jobs forever} */
    public RedisJobStore store() {
        return store(RedisStoreOptions.defaults());
    }

    /**
     * @param storeOptions how long final jobs are kept
     * @return the job store of this backend's namespace
     */
    public RedisJobStore store(RedisStoreOptions storeOptions) {
        ensureOpen();
        return new RedisJobStore(this, storeOptions);
    }

    /**
     * @return the admin (DESIGN.md, "The admin SPI") of this namespace's job store and of the
     *     default queue's dead letters
     */
    public RedisJobAdmin admin() {
        return admin(store(), queue());
    }

    /**
     * @param store the job store to manage
     * @param queue the queue retried jobs go to: a queue of this backend, whose dead letters are
     *     then managed too (a retry is one script), or another backend's (an SQS queue paired with
     *     this store; its admin offers the dead-letter operations)
     * @return their admin
     */
    public RedisJobAdmin admin(RedisJobStore store, JobQueue queue) {
        ensureOpen();
        return new RedisJobAdmin(this, Objects.requireNonNull(store, "store"), Objects.requireNonNull(queue, "queue"));
    }

    /** {@return the store of recurring schedules and their tick claims, in this namespace} */
    public RedisScheduleStore schedules() {
        ensureOpen();
        return new RedisScheduleStore(this);
    }

    /** {@return the server, as {@code redis[s]://[user:***@]host:port/database}: safe to log} */
    public String endpoint() {
        return options.parsedUri().toString() + (options.cluster() ? " (cluster)" : "");
    }

    /** {@return the options this backend was made with} */
    public RedisOptions options() {
        return options;
    }

    UnifiedJedis client() {
        return client;
    }

    RedisFailures failures() {
        return failures;
    }

    boolean isClosed() {
        return closed.get();
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this RedisBackend (" + options.parsedUri() + ") is closed");
        }
    }

    /**
     * Releases the jobs that its queues' step finishes claimed for a take that did not come (see
     * {@link RedisQueueOptions#claimOnFinish()}), then closes the connection pool. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            List<RedisJobQueue> made;
            synchronized (queues) {
                made = new ArrayList<>(queues);
            }
            made.forEach(RedisJobQueue::releaseClaimedOnFinish);
            client.close();
            LOG.debug("closed Redis backend {}", options.parsedUri());
        }
    }

    @Override
    public String toString() {
        return "RedisBackend[" + endpoint() + ", namespace=" + options.namespace() + "]";
    }

    private static SslOptions sslOptions(RedisOptions options) {
        Path trustStore = options.trustStore();
        if (trustStore == null) {
            return SslOptions.defaults(); // the JVM's trust store, host name checked
        }
        String password = options.trustStorePassword();
        SslOptions.Builder ssl = SslOptions.builder();
        if (password == null) {
            ssl.truststore(trustStore.toFile());
        } else {
            ssl.truststore(trustStore.toFile(), password.toCharArray());
        }
        return ssl.build();
    }

    /** {@return the nodes to read the cluster's topology from: every one a cluster URI names, else its host} */
    private static Set<HostAndPort> clusterNodes(RedisUri uri) {
        if (!uri.cluster()) {
            return Set.of(new HostAndPort(uri.host(), uri.port()));
        }
        Set<HostAndPort> nodes = new java.util.LinkedHashSet<>();
        for (String node : uri.clusterNodes()) {
            nodes.add(HostAndPort.from(node.startsWith("[") ? node.substring(1).replace("]:", ":") : node));
        }
        return nodes;
    }

    private static int millis(java.time.Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }
}
