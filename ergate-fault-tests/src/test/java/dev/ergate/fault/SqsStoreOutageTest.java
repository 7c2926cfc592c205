package dev.ergate.fault;

import dev.ergate.runtime.ErgateOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The job-state store goes down while the queue stays up (issue 14, item 2): SQS (an ElasticMQ
 * server) keeps handing out messages, the store (a private {@code redis-server}, AOF on) is
 * killed and stays down for {@link FaultScale#storeOutageSeconds()} (25 s at CI scale, 3 minutes
 * in the long run), then comes back. Deliveries received meanwhile can't start their step; they
 * must not count as failed attempts, neither toward the worker's {@code maxDeliveries} (3 here,
 * with 3 attempts per backend call) nor toward SQS's own receive count: the queue has a redrive
 * policy with {@code maxReceiveCount} 5 (the README's least) into the run's dead-letter queue. No
 * healthy job may end FAILED or dead-lettered, none may be lost.
 */
@DisplayName("The state store down while SQS is up")
class SqsStoreOutageTest {

    /** The redrive policy's limit on the run's queue. */
    private static final int MAX_RECEIVE_COUNT = 5;

    private @Nullable ElasticMqProcess server;
    private @Nullable PrivateRedis store;

    @Test
    @DisplayName("no job FAILED, none dead-lettered (by Ergate or by the redrive policy), none lost")
    void storeOutage() throws Exception {
        FaultScale scale = FaultScale.current();
        PrivateRedis redis = PrivateRedis.start();
        store = redis;
        ElasticMqProcess sqs = ElasticMqProcess.start(Path.of("target", "fault", "elasticmq-store-outage-"
                + UUID.randomUUID().toString().substring(0, 8) + ".log"));
        server = sqs;
        BackendSpec spec = new BackendSpec("sqs", sqs.endpoint().toString(),
                "ergate-fault-store-outage-" + UUID.randomUUID().toString().substring(0, 8), redis.uri());
        withRedrivePolicy(spec);
        Duration outage = Duration.ofSeconds(scale.storeOutageSeconds());
        BackendRestartScenario.run("2 state store down " + outage.toSeconds() + " s, SQS up (redrive at "
                + MAX_RECEIVE_COUNT + ")", "SQS + Redis store", spec, () -> {
                    redis.kill();
                    BackendRestartScenario.hold(outage);
                    redis.startAgain();
                    return System.currentTimeMillis();
                }, "store outage of " + outage.toSeconds() + " s",
                ErgateOptions.builder().concurrency(4).pollTimeout(Duration.ofMillis(300)).maxDeliveries(3)
                        .backendRetryAttempts(3).backendRetryDelays(Duration.ofMillis(100), Duration.ofSeconds(1))
                        .handleSignals(false).build());
    }

    /** Creates the run's queue and dead-letter queue ahead of the worker, the queue redriving into the other. */
    private static void withRedrivePolicy(BackendSpec spec) {
        try (SqsClient client = SqsFaultBackend.client(java.net.URI.create(spec.address()))) {
            String dlq = client.createQueue(r -> r.queueName(spec.space() + "-dlq")).queueUrl();
            String arn = client.getQueueAttributes(r -> r.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            String url = client.createQueue(r -> r.queueName(spec.space())).queueUrl();
            client.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
                    "{\"maxReceiveCount\":\"" + MAX_RECEIVE_COUNT + "\",\"deadLetterTargetArn\":\"" + arn + "\"}")));
        }
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
