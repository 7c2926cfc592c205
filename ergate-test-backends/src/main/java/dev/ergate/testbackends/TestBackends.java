package dev.ergate.testbackends;

import dev.ergate.testbackends.BackendLookup.Spec;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * The backends of this build's tests, each looked up once per test JVM in the order of
 * {@link BackendLookup}: {@value #REDIS_ENV}, {@value #POSTGRES_ENV}, {@value #SQS_ENV}; then
 * 127.0.0.1 (ElasticMQ in this JVM for SQS); then Testcontainers; else the test is skipped.
 */
public final class TestBackends {

    /** A Redis URI, {@code redis://[user:password@]host:port[/db]}. */
    public static final String REDIS_ENV = "ERGATE_REDIS_URL";
    /** A Redis Cluster, {@code redis-cluster://host:port[,host:port...]} (any of its nodes). */
    public static final String REDIS_CLUSTER_ENV = "ERGATE_REDIS_CLUSTER_URL";
    /** A PostgreSQL URL, {@code jdbc:postgresql://host:port/db?user=..} or {@code postgres://user:pw@host:port/db}. */
    public static final String POSTGRES_ENV = "ERGATE_POSTGRES_URL";
    /** An SQS endpoint, e.g. LocalStack's {@code http://127.0.0.1:4566}. */
    public static final String SQS_ENV = "ERGATE_SQS_ENDPOINT";

    private static final BackendLookup LOOKUP = new BackendLookup(System.getenv(), Containers::dockerAvailable);
    private static final ConcurrentMap<String, Supplier<FoundBackend>> FOUND = new ConcurrentHashMap<>();

    private TestBackends() {
    }

    /** {@return the Redis to test against; skips (or fails) the calling test when there is none} */
    public static FoundBackend redis() {
        return once(new Spec("Redis", REDIS_ENV, "nothing answers at 127.0.0.1:6379",
                "run Redis on 127.0.0.1:6379", LocalProbes::redis, Containers::redis,
                Containers.REDIS_IMAGE));
    }

    /**
     * {@return the Redis Cluster to test against: {@value #REDIS_CLUSTER_ENV}, else the 3 nodes on
     * 127.0.0.1:7000-7002 that {@code .ci/run} starts; no container (skipped, or failed in CI)}
     */
    public static FoundBackend redisCluster() {
        return once(new Spec("Redis Cluster", REDIS_CLUSTER_ENV, "no healthy cluster node answers at 127.0.0.1:7000",
                "start a 3-node cluster on 127.0.0.1:7000-7002 (.ci/run's ensure_redis_cluster does)",
                LocalProbes::redisCluster, () -> {
                    throw new IllegalStateException("Testcontainers does not start a Redis Cluster here");
                }, "(none)"));
    }

    /** {@return the PostgreSQL to test against (a database the tests may create schemas in)} */
    public static FoundBackend postgres() {
        return once(new Spec("PostgreSQL", POSTGRES_ENV, "127.0.0.1:5432 refuses database test for user postgres",
                "run PostgreSQL on 127.0.0.1:5432 with a database 'test' user postgres may use", LocalProbes::postgres, Containers::postgres, Containers.POSTGRES_IMAGE));
    }

    /** {@return the SQS endpoint to test against (any region, any credentials unless it is AWS)} */
    public static FoundBackend sqs() {
        return once(new Spec("SQS", SQS_ENV, "ElasticMQ is not on the test class path",
                "add org.elasticmq:elasticmq-rest-sqs_2.13 (test scope)", InProcessElasticMq::start, Containers::sqs, Containers.SQS_IMAGE));
    }

    /** Looks a backend up on first use; later calls give the same answer, a skip included. */
    private static FoundBackend once(Spec spec) {
        return FOUND.computeIfAbsent(spec.name(), name -> {
            try {
                FoundBackend found = LOOKUP.find(spec);
                return () -> found;
            } catch (RuntimeException | Error e) {
                return () -> {
                    throw e;
                };
            }
        }).get();
    }
}
