package dev.ergate.fault;

import dev.ergate.internal.PausePoints;
import dev.ergate.testkit.Backends;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import redis.clients.jedis.Jedis;

/**
 * The fault scenarios on SQS: an ElasticMQ server in a JVM of its own ({@link ElasticMqProcess},
 * started once for the class, so it outlives the worker JVMs), one standard queue and dead-letter
 * queue per test, and the job states in the shared Redis under a namespace of the same name.
 */
@DisplayName("Faults on SQS (ElasticMQ) with a Redis state store")
class SqsFaultTest extends FaultScenarios {

    private static @Nullable ElasticMqProcess server;

    /**
     * SQS has no atomic finish: a worker killed between "put the next step" and "ack" leaves two
     * messages for the job, and both chains may run the later steps (two for this workflow) before
     * one sees the job final. So one killed thread may cause up to 3 duplicates, not 1.
     */
    @Override
    protected int duplicatesPerKilledThread() {
        return 3;
    }

    /**
     * No atomic finish: the state update, the put and the ack are three calls, with windows
     * between. A kill between put and ack ({@link PausePoints#AFTER_PUT}) leaves the finished
     * step's message to come back; the Redis store's write fence drops it (its start meets a
     * newer stored state: {@code STALE}), so the job does not fork (issue 14, item 3).
     *
     * <p>A kill between the state update and the put ({@link PausePoints#AFTER_STATE}) leaves the
     * next state stored with no message of it; the redelivery of the finished step is stale, finds
     * the stored job QUEUED and puts it again (the runtime's {@code putLostNextStep}).
     */
    @Override
    protected List<String> pauseWindows() {
        return List.of(PausePoints.AFTER_START, PausePoints.STEP_ENDED, PausePoints.AFTER_STATE,
                PausePoints.AFTER_PUT, PausePoints.FINISHED);
    }

    @Override
    protected BackendSpec newSpec(String label) {
        String redis = RedisFaultTest.sharedUri();
        URI uri = URI.create(redis);
        try (Jedis ping = new Jedis(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort())) {
            ping.ping();
        } catch (RuntimeException e) {
            Backends.missing("Redis (the state store of the SQS runs)",
                    "set ERGATE_REDIS_URL=redis://host:port or run Redis on 127.0.0.1:6379", e);
        }
        return new BackendSpec("sqs", server().endpoint().toString(),
                "ergate-fault-" + label + "-" + UUID.randomUUID().toString().substring(0, 8), redis);
    }

    private static synchronized ElasticMqProcess server() {
        if (server == null) {
            try {
                server = ElasticMqProcess.start(Path.of("target", "fault", "elasticmq-" + UUID.randomUUID()
                        .toString().substring(0, 8) + ".log"));
            } catch (Exception e) {
                Backends.missing("ElasticMQ", "keep org.elasticmq:elasticmq-rest-sqs_2.13 on the test class path", e);
            }
        }
        return server;
    }

    @AfterAll
    static synchronized void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Override
    protected String backendName() {
        return "SQS";
    }
}
