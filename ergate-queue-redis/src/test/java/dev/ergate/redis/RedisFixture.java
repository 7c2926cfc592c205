package dev.ergate.redis;

import dev.ergate.testbackends.TestBackends;
import dev.ergate.testkit.Backends;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The Redis the tests run against, found by {@link TestBackends#redis()} ({@code
 * ERGATE_REDIS_URL}, 127.0.0.1:6379, Testcontainers; else the test is skipped, or fails under
 * {@code ERGATE_REQUIRE_BACKENDS=true}).
 *
 * <p>Each {@link #backend()} gets a namespace of its own, so tests never see each other's keys;
 * {@link #close()} deletes every key of those namespaces and closes the backends. Not
 * thread-safe: one fixture per test class or test.
 */
final class RedisFixture implements AutoCloseable {

    /** Set to {@code true} when {@code ERGATE_REDIS_URL} names a node of a Redis Cluster. */
    static final String CLUSTER_ENV = "ERGATE_REDIS_CLUSTER";
    static final String HOW_TO_PROVIDE = "set " + TestBackends.REDIS_ENV + "=redis://host:port/db or run Redis on "
            + "127.0.0.1:6379";

    static {
        // every script of every Redis test fails a command on a key it was not given in KEYS
        // (issue 14, item 11): Redis checks that on a cluster only, and only for the slot
        LuaScript.checkKeys = true;
    }

    private final String label;
    private final String uri;
    private final boolean cluster;
    private final RedisBackend admin;
    private final List<RedisBackend> backends = new ArrayList<>();
    private final List<String> aclUsers = new ArrayList<>();

    private RedisFixture(String label, String uri, boolean cluster, RedisBackend admin) {
        this.label = label;
        this.uri = uri;
        this.cluster = cluster;
        this.admin = admin;
    }

    /**
     * @param label part of every namespace, to tell the test's keys apart
     * @return the fixture; skips (or fails) the test if no Redis answers
     */
    static RedisFixture open(String label) {
        return open(label, uri(), cluster(), "Redis", HOW_TO_PROVIDE);
    }

    /**
     * @param label part of every namespace, to tell the test's keys apart
     * @return a fixture on the Redis Cluster of {@link TestBackends#redisCluster()}; skips (or
     *     fails, in CI) the test if none answers
     */
    static RedisFixture openCluster(String label) {
        return open(label, TestBackends.redisCluster().url(), true, "Redis Cluster",
                "set " + TestBackends.REDIS_CLUSTER_ENV + " or run a cluster on 127.0.0.1:7000-7002");
    }

    private static RedisFixture open(String label, String uri, boolean cluster, String what, String howToProvide) {
        try {
            return new RedisFixture(label, uri, cluster, RedisBackend.connect(RedisOptions.builder().uri(uri)
                    .cluster(cluster).namespace("ergate-test-admin").poolSize(2).build()));
        } catch (RuntimeException e) {
            Backends.missing(what, howToProvide + " (tried " + RedisUri.hidePassword(uri) + ")", e);
            throw e; // not reached: missing() always throws
        }
    }

    /** @return the URI the tests use */
    static String uri() {
        return TestBackends.redis().url();
    }

    /** @return true when the tests run against a Redis Cluster ({@value #CLUSTER_ENV}) */
    static boolean cluster() {
        return Boolean.parseBoolean(System.getenv(CLUSTER_ENV));
    }

    /** @return a backend with the default options, on a new namespace */
    RedisBackend backend() {
        return backend(RedisOptions.builder());
    }

    /**
     * @param options the options to start from; the URI and namespace are set here
     * @return a backend on a new namespace
     */
    RedisBackend backend(RedisOptions.Builder options) {
        return backend(options, uri);
    }

    /**
     * {@return a backend that logs in as a new ACL user (deleted by {@link #close()}) allowed
     * everything but {@code denied} (ACL rules such as {@code -fcall})} Skips the test on a
     * cluster (users are per node) or a URI that already has credentials.
     */
    RedisBackend backendAsUserWithout(String... denied) {
        Assumptions.assumeFalse(cluster, "ACL users are per node: not on a cluster");
        Assumptions.assumeTrue(uri.startsWith("redis://") && !uri.contains("@"), "a URI without credentials");
        String user = "ergate-test-" + UUID.randomUUID().toString().substring(0, 8);
        String password = UUID.randomUUID().toString();
        List<String> rules = new ArrayList<>(List.of("SETUSER", user, "on", ">" + password, "~*", "&*", "+@all"));
        rules.addAll(List.of(denied));
        admin.client().sendCommand(Protocol.Command.ACL, rules.toArray(String[]::new));
        aclUsers.add(user);
        return backend(RedisOptions.builder(), "redis://" + user + ":" + password + "@" + uri.substring("redis://".length()));
    }

    private RedisBackend backend(RedisOptions.Builder options, String uri) {
        String namespace = "ergate-test:" + label + ":" + UUID.randomUUID().toString().substring(0, 8);
        String clientName = "ergate-test-" + UUID.randomUUID().toString().substring(0, 8);
        RedisBackend backend = RedisBackend.connect(
                options.uri(uri).cluster(cluster).namespace(namespace).clientName(clientName).build());
        backends.add(backend);
        return backend;
    }

    /**
     * @param other a backend of this fixture
     * @param options the options to start from; the URI and namespace are set here
     * @return a second backend on {@code other}'s namespace (another worker of the same jobs)
     */
    RedisBackend sharing(RedisBackend other, RedisOptions.Builder options) {
        RedisBackend backend = RedisBackend.connect(options.uri(uri).cluster(cluster)
                .namespace(other.options().namespace()).build());
        backends.add(0, backend); // closed first; its keys go with other's namespace
        return backend;
    }

    /** @return a client of its own, for looking at keys the way another program would */
    UnifiedJedis raw() {
        return admin.client();
    }

    /**
     * @param backend a backend of this fixture
     * @return how many of its connections are blocked in BLPOP right now (waiting takers)
     */
    @SuppressWarnings("deprecation") // sendCommand with a sample key: the way to reach the slot's node
    long blockedTakers(RedisBackend backend) {
        Object reply = admin.client().sendCommand(hashTag(backend), Protocol.Command.CLIENT, "LIST".getBytes(StandardCharsets.UTF_8));
        String list = new String((byte[]) reply, StandardCharsets.UTF_8);
        String name = "name=" + backend.options().clientName() + " ";
        return list.lines().filter(line -> line.contains(name) && line.contains(" cmd=blpop")
                && line.matches(".* flags=[A-Za-z]*b[A-Za-z]* .*")).count();
    }

    /**
     * Makes Redis forget the Lua scripts and the function libraries (as a restart without
     * persistence would) on the node of the backend's namespace.
     */
    @SuppressWarnings("deprecation") // sendCommand with a sample key: the way to reach the slot's node
    void flushScripts(RedisBackend backend) {
        admin.client().scriptFlush(hashTag(backend));
        admin.client().sendCommand(hashTag(backend), Protocol.Command.FUNCTION,
                "FLUSH".getBytes(StandardCharsets.UTF_8));
    }

    /** {@return whether the node of the backend's namespace holds the function library {@code library}} */
    @SuppressWarnings("deprecation") // sendCommand with a sample key: the way to reach the slot's node
    boolean hasFunctionLibrary(RedisBackend backend, String library) {
        Object reply = admin.client().sendCommand(hashTag(backend), Protocol.Command.FUNCTION,
                "LIST".getBytes(StandardCharsets.UTF_8), "LIBRARYNAME".getBytes(StandardCharsets.UTF_8),
                library.getBytes(StandardCharsets.UTF_8));
        return reply instanceof List<?> libraries && !libraries.isEmpty();
    }

    /** @return the key to route a keyless command to the node that owns the backend's slot */
    private static byte[] hashTag(RedisBackend backend) {
        return ("{" + backend.options().namespace() + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** Deletes every key of this fixture's namespaces and closes their backends. */
    @Override
    public void close() {
        try {
            for (RedisBackend backend : backends) {
                backend.close();
                deleteNamespace(admin.client(), backend.options().namespace());
            }
            backends.clear();
            for (String user : aclUsers) {
                admin.client().sendCommand(Protocol.Command.ACL, "DELUSER", user);
            }
            aclUsers.clear();
        } finally {
            admin.close();
        }
    }

    static void deleteNamespace(UnifiedJedis redis, String namespace) {
        ScanParams match = new ScanParams().match("{" + namespace + "}:*").count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, match);
            if (!page.getResult().isEmpty()) {
                redis.del(page.getResult().toArray(String[]::new));
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }
}
