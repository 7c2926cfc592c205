package dev.ergate.bench;

import dev.ergate.sqs.SqsOptions;
import dev.ergate.sqs.SqsJobQueue;
import dev.ergate.sqs.SqsQueueOptions;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The SQS backend: {@code ergate-queue-sqs}'s queue on a queue of the phase's own (deleted
 * afterwards), on the given endpoint or on ElasticMQ started in this JVM, with a {@link
 * LatestStateStore} (SQS holds no state). Baseline: {@link SqsRawBaseline}. Not thread-safe;
 * what it opens is.
 */
final class SqsBench implements BenchBackend {

    private final URI endpoint;
    private final boolean inProcess;

    SqsBench(@Nullable String endpoint) {
        this.inProcess = endpoint == null;
        this.endpoint = endpoint == null ? ElasticMq.endpoint() : URI.create(endpoint);
    }

    @Override
    public String describe() {
        return "SQS at " + endpoint + (inProcess ? " (ElasticMQ 1.6.11 in this JVM)" : "")
                + "; ergate-queue-sqs queue (url-connection-client) + LatestStateStore in memory";
    }

    @Override
    public BackendRun open(String runId, int workers, Duration leaseTime) {
        String name = "ergbench-" + runId;
        SqsJobQueue queue = SqsJobQueue.builder()
                .queueName(name)
                .createIfMissing(true)
                .options(SqsOptions.builder()
                        .endpoint(endpoint)
                        .region("us-east-1")
                        .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                        .build())
                .queueOptions(SqsQueueOptions.builder().leaseTime(leaseTime).build())
                .build();
        LatestStateStore store = new LatestStateStore();
        String queueUrl = queue.queueUrl();
        return BackendRun.of(queue, store, () -> {
            try (SqsClient client = SqsRawBaseline.client(endpoint)) {
                client.deleteQueue(r -> r.queueUrl(queueUrl));
            }
        });
    }

    @Override
    public RawBaseline baseline() {
        return new SqsRawBaseline(endpoint);
    }

    @Override
    public void close() {
    }
}
