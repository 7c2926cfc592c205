package dev.ergate.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * SQS without Ergate: per step one ReceiveMessage (1 message, long poll), one SendMessage (the
 * next step) and one DeleteMessage (the ack), with the plain {@link SqsClient}, one client per
 * thread. SQS holds no state, so there is no state write. Not thread-safe: used from one
 * thread, it runs its own loop threads.
 */
final class SqsRawBaseline implements RawBaseline {

    private final URI endpoint;

    SqsRawBaseline(URI endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public String describe() {
        return "SqsClient: ReceiveMessage(1) + SendMessage + DeleteMessage (3 requests)";
    }

    static SqsClient client(URI endpoint) {
        return SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    @Override
    public BaselineResult run(String runId, int threads, int depth, long steps, byte[] message) throws Exception {
        String body = new String(message, StandardCharsets.UTF_8);
        try (SqsClient setup = client(endpoint)) {
            String queueUrl = setup.createQueue(r -> r.queueName("ergbench-" + runId)).queueUrl();
            try {
                List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
                for (int i = 0; i < depth; i++) {
                    batch.add(SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(body).build());
                    if (batch.size() == 10 || i == depth - 1) {
                        List<SendMessageBatchRequestEntry> entries = List.copyOf(batch);
                        setup.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
                        batch.clear();
                    }
                }
                long nanos = BaselineLoops.run("sqs", threads, steps, index -> {
                    SqsClient client = client(endpoint);
                    return new BaselineLoops.Looper() {
                        @Override
                        public void step() {
                            List<Message> received = List.of();
                            for (int attempt = 0; attempt < 5 && received.isEmpty(); attempt++) {
                                received = client.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(1)
                                        .waitTimeSeconds(1)).messages();
                            }
                            if (received.isEmpty()) {
                                throw new IllegalStateException("sqs baseline: no message received for 5 s");
                            }
                            Message taken = received.get(0);
                            client.sendMessage(r -> r.queueUrl(queueUrl).messageBody(taken.body()));
                            client.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(taken.receiptHandle()));
                        }

                        @Override
                        public void close() {
                            client.close();
                        }
                    };
                });
                return new BaselineResult(describe(), steps, nanos);
            } finally {
                setup.deleteQueue(r -> r.queueUrl(queueUrl));
            }
        }
    }
}
