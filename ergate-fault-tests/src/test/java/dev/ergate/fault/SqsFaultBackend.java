package dev.ergate.fault;

import dev.ergate.redis.RedisBackend;
import dev.ergate.redis.RedisJobStore;
import dev.ergate.redis.RedisOptions;
import dev.ergate.sqs.SqsOptions;
import dev.ergate.sqs.SqsJobQueue;
import dev.ergate.sqs.SqsQueueOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * {@link FaultBackend} on SQS (an ElasticMQ server): a standard queue and its dead-letter queue
 * named after the run's space, and, since SQS holds no job state, the job states in a Redis
 * namespace of the same name ({@link BackendSpec#storeAddress()}). SQS offers no atomic step
 * finish, so the worker writes state, puts the next step and acks in three calls. Thread-safe.
 */
final class SqsFaultBackend implements FaultBackend {

    /** The attribute the adapter writes the dead-letter reason into (its README). */
    private static final String REASON_ATTRIBUTE = "ergate.deadLetterReason";

    private final BackendSpec spec;
    private final SqsClient client;
    private final String queueUrl;
    private final String deadLetterUrl;
    private final SqsJobQueue queue;
    private final RedisBackend redis;
    private final RedisJobStore store;
    private final List<Dead> deadLetters = new ArrayList<>();

    SqsFaultBackend(BackendSpec spec, Duration leaseTime, int connections, String clientName, Clock clock) {
        this.spec = spec;
        this.client = client(URI.create(spec.address()));
        // creating an existing queue with the same attributes is a no-op: every JVM of the run may do it
        this.queueUrl = client.createQueue(r -> r.queueName(spec.space())).queueUrl();
        this.deadLetterUrl = client.createQueue(r -> r.queueName(spec.space() + "-dlq")).queueUrl();
        this.queue = SqsJobQueue.builder().client(client).queueUrl(queueUrl)
                .queueOptions(SqsQueueOptions.builder().leaseTime(wholeSeconds(leaseTime)).deadLetterQueueUrl(deadLetterUrl)
                        .clock(clock).build())
                .build();
        this.redis = RedisBackend.connect(RedisOptions.builder().uri(spec.storeAddress()).namespace(spec.space())
                .poolSize(connections).clientName(clientName)
                .connectTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofSeconds(5)).clock(clock).build());
        this.store = redis.store();
    }

    /** @return a client for the test server (fixed test credentials, short connect timeout) */
    static SqsClient client(URI endpoint) {
        return SqsOptions.builder().endpoint(endpoint).region("us-east-1")
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .connectTimeout(Duration.ofSeconds(2)).build().createClient();
    }

    /** SQS leases (visibility timeouts) are whole seconds: rounds up. */
    static Duration wholeSeconds(Duration lease) {
        long seconds = (lease.toMillis() + 999) / 1000;
        return Duration.ofSeconds(Math.max(1, seconds));
    }

    @Override
    public SqsJobQueue queue() {
        return queue;
    }

    @Override
    public RedisJobStore store() {
        return store;
    }

    @Override
    public @Nullable String putRaw(byte[] message) {
        try {
            client.sendMessage(r -> r.queueUrl(queueUrl).messageBody(new String(message, StandardCharsets.UTF_8)));
            return null;
        } catch (SqsException e) {
            if (e.statusCode() >= 500) {
                throw e;
            }
            return "refused by SQS: " + e.getMessage();
        } catch (SdkClientException e) {
            // SQS refuses a message over its size limit; ElasticMQ does so by closing the connection mid-body
            if (message.length > SqsQueueOptions.SQS_MAX_MESSAGE_BYTES) {
                return "refused by the SQS server (" + message.length + " bytes, over SQS's "
                        + SqsQueueOptions.SQS_MAX_MESSAGE_BYTES + "-byte limit): " + e.getMessage();
            }
            throw e;
        }
    }

    /** Moves what reached the dead-letter queue into a list of this test JVM's, and returns all of it. */
    @Override
    public synchronized List<Dead> deadLetters() {
        while (true) {
            List<Message> batch = client.receiveMessage(r -> r.queueUrl(deadLetterUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(0).visibilityTimeout(30).messageAttributeNames("All")).messages();
            if (batch.isEmpty()) {
                return List.copyOf(deadLetters);
            }
            for (Message m : batch) {
                MessageAttributeValue reason = m.messageAttributes().get(REASON_ATTRIBUTE);
                deadLetters.add(new Dead(reason == null ? "" : reason.stringValue(), m.body()));
                client.deleteMessage(r -> r.queueUrl(deadLetterUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }

    @Override
    public long queued() {
        Map<QueueAttributeName, String> counts = client.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return counts.values().stream().mapToLong(Long::parseLong).sum();
    }

    @Override
    public void dropSpace() {
        for (String url : List.of(queueUrl, deadLetterUrl)) {
            try {
                client.deleteQueue(r -> r.queueUrl(url));
            } catch (SqsException e) {
                // already gone
            }
        }
        RedisFaultBackend.dropNamespace(spec.storeAddress(), spec.space());
    }

    @Override
    public void close() {
        try {
            queue.close();
            redis.close();
        } finally {
            client.close();
        }
    }
}
