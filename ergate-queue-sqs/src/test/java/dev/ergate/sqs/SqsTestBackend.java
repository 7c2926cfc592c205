package dev.ergate.sqs;

import dev.ergate.testbackends.TestBackends;
import dev.ergate.testkit.Backends;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The SQS server the tests talk to, found once per test JVM by {@link TestBackends#sqs()}: the
 * endpoint in {@code ERGATE_SQS_ENDPOINT} (LocalStack, a real account's endpoint), else ElasticMQ
 * started in this JVM, else an ElasticMQ container; else the test is skipped (or fails under
 * {@code ERGATE_REQUIRE_BACKENDS=true}).
 *
 * <p>Queues are created with a unique name per call, so tests never see each other's messages.
 */
final class SqsTestBackend {

    static final String REGION_ENV = "ERGATE_SQS_REGION";
    static final String HOW_TO = "set " + TestBackends.SQS_ENV + " to an SQS endpoint (e.g. LocalStack's"
            + " http://127.0.0.1:4566), or keep org.elasticmq:elasticmq-rest-sqs_2.13 on the test classpath";

    private static final AtomicInteger QUEUES = new AtomicInteger();
    private static volatile Holder holder;
    private static volatile Throwable failure;

    private record Holder(URI endpoint, SqsClient client) {
    }

    private SqsTestBackend() {
    }

    /** @return the shared client; skips the test when no SQS server can be had */
    static SqsClient client() {
        return holder().client();
    }

    static URI endpoint() {
        return holder().endpoint();
    }

    /** @return client options for a queue that builds its own client against the test server */
    static SqsOptions clientOptions() {
        return SqsOptions.builder().endpoint(endpoint()).region(region()).credentials(credentials()).build();
    }

    static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    }

    /** @return the URL of a new, empty standard queue */
    static String newQueue(String purpose) {
        return create(purpose, false, Map.of());
    }

    /** @return the URL of a new, empty FIFO queue */
    static String newFifoQueue(String purpose) {
        return create(purpose, true, Map.of());
    }

    /** @return the URL of a new queue with these attributes */
    static String create(String purpose, boolean fifo, Map<QueueAttributeName, String> attributes) {
        String name = "ergate-" + purpose + "-" + QUEUES.incrementAndGet() + "-"
                + UUID.randomUUID().toString().substring(0, 8) + (fifo ? ".fifo" : "");
        Map<QueueAttributeName, String> all = new HashMap<>(attributes);
        if (fifo) {
            all.put(QueueAttributeName.FIFO_QUEUE, "true");
        }
        return client().createQueue(r -> r.queueName(name).attributes(all)).queueUrl();
    }

    /** @return the ARN of a queue */
    static String arn(String queueUrl) {
        return client().getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /** @return a queue attribute as a number, e.g. ApproximateNumberOfMessages */
    static int count(String queueUrl, QueueAttributeName attribute) {
        return Integer.parseInt(client().getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(attribute))
                .attributes().get(attribute));
    }

    private static String region() {
        String region = System.getenv(REGION_ENV);
        return region == null || region.isBlank() ? "us-east-1" : region;
    }

    private static Holder holder() {
        Holder h = holder;
        if (h == null && failure == null) {
            TestBackends.sqs(); // skips the test when there is no SQS at all
            synchronized (SqsTestBackend.class) {
                h = holder;
                if (h == null && failure == null) {
                    try {
                        h = start();
                        holder = h;
                    } catch (RuntimeException | LinkageError e) {
                        failure = e;
                    }
                }
            }
        }
        if (h == null) {
            Backends.missing("SQS", HOW_TO, failure);
            throw new IllegalStateException("unreachable: Backends.missing aborts the test", failure);
        }
        return h;
    }

    private static Holder start() {
        URI endpoint = URI.create(TestBackends.sqs().url());
        SqsClient client = SqsOptions.builder()
                .endpoint(endpoint)
                .region(region())
                .credentials(credentials())
                .apiCallTimeout(Duration.ofSeconds(60))
                .build()
                .createClient();
        client.listQueues();
        return new Holder(endpoint, client);
    }
}
