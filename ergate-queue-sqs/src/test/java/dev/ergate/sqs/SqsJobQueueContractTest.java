package dev.ergate.sqs;

import dev.ergate.spi.JobQueue;
import dev.ergate.testkit.contract.JobQueueContract;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import software.amazon.awssdk.services.sqs.model.Message;

/** The testkit's queue contract on a standard SQS queue with a dead-letter queue. */
@DisplayName("JobQueue contract: SQS standard queue")
class SqsJobQueueContractTest extends JobQueueContract {

    /** ElasticMQ keeps SQS's old 256 KiB limit, so the queues are configured for it. */
    static final SqsQueueOptions LIMITS = SqsQueueOptions.builder()
            .maxJobBytes(SqsQueueOptions.SQS_LEGACY_MAX_JOB_BYTES).build();

    private final Map<JobQueue, String> deadLetterQueues = new LinkedHashMap<>();

    boolean fifo() {
        return false;
    }

    @Override
    protected JobQueue newQueue(Duration leaseTime) {
        String url = fifo() ? SqsTestBackend.newFifoQueue("contract") : SqsTestBackend.newQueue("contract");
        String dlq = fifo() ? SqsTestBackend.newFifoQueue("contract-dlq") : SqsTestBackend.newQueue("contract-dlq");
        SqsJobQueue queue = SqsJobQueue.builder()
                .client(SqsTestBackend.client())
                .queueUrl(url)
                .queueOptions(LIMITS.toBuilder().leaseTime(leaseTime).deadLetterQueueUrl(dlq).build())
                .build();
        deadLetterQueues.put(queue, dlq);
        return queue;
    }

    @Override
    protected boolean putRaw(JobQueue queue, byte[] message) {
        String url = ((SqsJobQueue) queue).queueUrl();
        String body = new String(message, StandardCharsets.UTF_8);
        SqsTestBackend.client().sendMessage(r -> {
            r.queueUrl(url).messageBody(body);
            if (fifo()) {
                r.messageGroupId("raw").messageDeduplicationId(UUID.randomUUID().toString());
            }
        });
        return true;
    }

    @Override
    protected List<String> deadLetters(JobQueue queue) {
        String dlq = deadLetterQueues.get(queue);
        List<Message> messages = SqsTestBackend.client().receiveMessage(r -> r.queueUrl(dlq)
                .maxNumberOfMessages(10).waitTimeSeconds(1).visibilityTimeout(0)).messages();
        return messages.stream().map(Message::body).toList();
    }

    /** SQS timings are whole seconds, and these tests share a busy machine with others. */
    @Override
    protected Duration timingSlack() {
        return Duration.ofSeconds(1);
    }

    @Override
    protected OptionalLong maxJobBytes() {
        return OptionalLong.of(LIMITS.maxJobBytes());
    }
}
