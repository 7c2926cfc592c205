package dev.ergate.fault;

import dev.ergate.testkit.Backends;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Scenario 2 on SQS: the SQS endpoint goes away and comes back. The worker reaches a private
 * ElasticMQ server through a {@link TcpProxy}; an outage cuts every open connection (a long poll,
 * a send or a delete in flight fails) and refuses new ones for 5 s, then the endpoint answers
 * again. The server keeps its messages meanwhile.
 *
 * <p>Why not restart ElasticMQ: the ElasticMQ in this build (the embedded elasticmq-rest-sqs
 * server) keeps messages in memory only, so a restart would lose every message by design, not
 * through Ergate; message persistence is a feature of the stand-alone server with its SQL
 * persistence module, which the build does not have. Amazon SQS itself is a replicated service
 * that does not lose acknowledged sends when a node restarts: what a client sees of its outages
 * is an endpoint that can't be reached or fails calls, which this test makes.
 */
@DisplayName("SQS endpoint unreachable mid-run")
class SqsOutageTest {

    private static final Duration OUTAGE = Duration.ofSeconds(5);

    private @Nullable ElasticMqProcess server;
    private @Nullable TcpProxy proxy;

    @Test
    @DisplayName("the worker retries through the outage and finishes every job")
    void endpointOutage() throws Exception {
        String redis = RedisFaultTest.sharedUri();
        URI redisUri = URI.create(redis);
        try (Jedis ping = new Jedis(redisUri.getHost(), redisUri.getPort() < 0 ? 6379 : redisUri.getPort())) {
            ping.ping();
        } catch (RuntimeException e) {
            Backends.missing("Redis (the state store of the SQS runs)",
                    "set ERGATE_REDIS_URL=redis://host:port or run Redis on 127.0.0.1:6379", e);
        }
        server = ElasticMqProcess.start(Path.of("target", "fault", "elasticmq-outage-"
                + UUID.randomUUID().toString().substring(0, 8) + ".log"));
        TcpProxy endpoint = TcpProxy.start("127.0.0.1", server.endpoint().getPort());
        proxy = endpoint;
        BackendSpec spec = new BackendSpec("sqs", "http://127.0.0.1:" + endpoint.port(),
                "ergate-fault-outage-" + UUID.randomUUID().toString().substring(0, 8), redis);
        BackendRestartScenario.run("2 endpoint outage (connections cut, refused " + OUTAGE.toSeconds() + " s)", "SQS",
                spec, () -> {
                    endpoint.down();
                    BackendRestartScenario.hold(OUTAGE);
                    endpoint.up();
                    return System.currentTimeMillis();
                }, "SQS endpoint outage");
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
