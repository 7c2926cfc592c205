package dev.ergate.fault;

import dev.ergate.runtime.ErgateOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The job-state store goes down while the queue stays up: SQS (an ElasticMQ server) keeps
 * handing out messages, the store (a private {@code redis-server}, AOF on) is killed and stays
 * down for {@link FaultScale#storeOutageSeconds()} (25 s at CI scale, 3 minutes in the long run),
 * then comes back. Deliveries received meanwhile can't start their step; they must not count as
 * failed attempts: no healthy job may end FAILED or dead-lettered as poison. The worker runs with
 * {@code maxDeliveries} 3 and 3 attempts per backend call, so at CI scale a receive count that
 * climbs with every failed start crosses the limit well within the outage.
 */
@DisplayName("The state store down for minutes while SQS is up")
class SqsStoreOutageTest {

    private @Nullable ElasticMqProcess server;
    private @Nullable PrivateRedis store;

    @Test
    @DisplayName("no job FAILED, none dead-lettered, none lost")
    void storeOutage() throws Exception {
        FaultScale scale = FaultScale.current();
        PrivateRedis redis = PrivateRedis.start();
        store = redis;
        ElasticMqProcess sqs = ElasticMqProcess.start(Path.of("target", "fault", "elasticmq-store-outage-"
                + UUID.randomUUID().toString().substring(0, 8) + ".log"));
        server = sqs;
        BackendSpec spec = new BackendSpec("sqs", sqs.endpoint().toString(),
                "ergate-fault-store-outage-" + UUID.randomUUID().toString().substring(0, 8), redis.uri());
        Duration outage = Duration.ofSeconds(scale.storeOutageSeconds());
        BackendRestartScenario.run("2 state store down " + outage.toSeconds() + " s, SQS up", "SQS + Redis store", spec,
                () -> {
                    redis.kill();
                    BackendRestartScenario.hold(outage);
                    redis.startAgain();
                    return System.currentTimeMillis();
                }, "store outage of " + outage.toSeconds() + " s",
                ErgateOptions.builder().concurrency(4).pollTimeout(Duration.ofMillis(300)).maxDeliveries(3)
                        .backendRetryAttempts(3).backendRetryDelays(Duration.ofMillis(100), Duration.ofSeconds(1))
                        .handleSignals(false).build());
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (store != null) {
            store.close();
        }
    }
}
