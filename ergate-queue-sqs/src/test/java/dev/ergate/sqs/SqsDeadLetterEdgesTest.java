package dev.ergate.sqs;

import static dev.ergate.sqs.QueueFixture.invisible;
import static dev.ergate.sqs.QueueFixture.total;
import static dev.ergate.sqs.QueueFixture.visible;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.spi.Delivery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

@DisplayName("dead letters at the edges: size limit, no dead-letter queue, oversize bodies at take")
class SqsDeadLetterEdgesTest {

    private final List<SqsJobQueue> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(SqsJobQueue::close);
    }

    /**
     * Refuses a message whose body and attributes together are over SQS's old 256 KiB limit, as
     * SQS does (ElasticMQ checks the body alone).
     */
    static final class SizeCheckingClient extends ForwardingSqsClient {
        final List<Long> sentSizes = new ArrayList<>();

        @Override
        public SendMessageResponse sendMessage(SendMessageRequest request) {
            long size = request.messageBody().getBytes(StandardCharsets.UTF_8).length
                    + MessageAttributes.size(request.messageAttributes());
            synchronized (sentSizes) {
                sentSizes.add(size);
            }
            if (size > SqsQueueOptions.SQS_LEGACY_MAX_MESSAGE_BYTES) {
                throw (SqsException) SqsException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("InvalidParameterValue").errorMessage("One or more parameters are invalid."
                                + " Reason: Message must be shorter than 262144 bytes.").build()).build();
            }
            return super.sendMessage(request);
        }
    }

    private SqsJobQueue open(SizeCheckingClient client, String url, SqsQueueOptions options) {
        SqsJobQueue queue = SqsJobQueue.builder().client(client).queueUrl(url).queueOptions(options).build();
        opened.add(queue);
        return queue;
    }

    private static List<Message> receiveAll(String url) {
        return SqsTestBackend.client().receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)
                .waitTimeSeconds(2).messageAttributeNames("All")).messages();
    }

    @Test
    @DisplayName("a job right at maxJobBytes moves to the dead-letter queue with its reason, within SQS's size limit")
    void jobAtTheLimitIsDeadLettered() throws Exception {
        String url = SqsTestBackend.newQueue("dl-limit");
        String dlq = SqsTestBackend.newQueue("dl-limit-dlq");
        SizeCheckingClient client = new SizeCheckingClient();
        SqsJobQueue queue = open(client, url, SqsQueueOptions.builder()
                .maxJobBytes(SqsQueueOptions.SQS_LEGACY_MAX_JOB_BYTES).deadLetterQueueUrl(dlq).build());
        Job job = SqsLimitsTest.jobOfSize("at-limit", queue.maxJobBytes());
        queue.put(job);
        Delivery delivery = queue.take(Duration.ofSeconds(5)).orElseThrow();
        String reason = "job at-limit of workflow 'wf' was delivered 11 times, more than the limit of 10"
                + " (maxDeliveries): workers keep dying or losing its lease on it, so it is given up. "
                + "é".repeat(2000);

        delivery.deadLetter(reason);

        await().atMost(Duration.ofSeconds(5)).until(() -> visible(dlq) == 1);
        Message dead = receiveAll(dlq).get(0);
        assertThat(JobCodec.standard().decode(dead.body())).isEqualTo(job);
        String kept = dead.messageAttributes().get(MessageAttributes.DEAD_LETTER_REASON).stringValue();
        assertThat(reason).startsWith(kept.substring(0, kept.length() - 3));
        assertThat(kept).endsWith("...");
        assertThat(dead.messageAttributes().get(MessageAttributes.SOURCE_MESSAGE_ID)).isNotNull();
        assertThat(dead.messageAttributes().get(MessageAttributes.SOURCE_QUEUE).stringValue()).isEqualTo(url);
        assertThat(client.sentSizes).allSatisfy(size ->
                assertThat(size).isLessThanOrEqualTo(SqsQueueOptions.SQS_LEGACY_MAX_MESSAGE_BYTES));
        await().atMost(Duration.ofSeconds(5)).until(() -> total(url) == 0);
    }

    @Test
    @DisplayName("a body over maxJobBytes is dead-lettered at take without being decoded, with a reason; a body"
            + " that fills the dead-letter queue's limit goes there without Ergate's attributes")
    void oversizeBodyAtTake() throws Exception {
        String url = SqsTestBackend.newQueue("oversize");
        String dlq = SqsTestBackend.newQueue("oversize-dlq");
        SizeCheckingClient client = new SizeCheckingClient();
        SqsJobQueue queue = open(client, url, SqsQueueOptions.builder()
                .maxJobBytes(SqsQueueOptions.SQS_LEGACY_MAX_JOB_BYTES).deadLetterQueueUrl(dlq).build());
        // valid jobs, so only their size keeps them from a taker
        String over = new String(JobCodec.standard().encode(
                SqsLimitsTest.jobOfSize("one-over", queue.maxJobBytes() + 1)), StandardCharsets.UTF_8);
        String full = new String(JobCodec.standard().encode(
                SqsLimitsTest.jobOfSize("full", SqsQueueOptions.SQS_LEGACY_MAX_MESSAGE_BYTES)), StandardCharsets.UTF_8);
        SqsTestBackend.client().sendMessage(r -> r.queueUrl(url).messageBody(over));
        SqsTestBackend.client().sendMessage(r -> r.queueUrl(url).messageBody(full));

        assertThat(queue.take(Duration.ofSeconds(2))).isEmpty();

        await().atMost(Duration.ofSeconds(10)).until(() -> visible(dlq) == 2);
        List<Message> dead = receiveAll(dlq);
        assertThat(dead).extracting(Message::body).containsExactlyInAnyOrder(over, full);
        Message overDead = dead.stream().filter(m -> m.body().equals(over)).findFirst().orElseThrow();
        assertThat(overDead.messageAttributes().get(MessageAttributes.DEAD_LETTER_REASON).stringValue())
                .contains((queue.maxJobBytes() + 1) + " bytes").contains("maxJobBytes").contains("not decoded");
        Message fullDead = dead.stream().filter(m -> m.body().equals(full)).findFirst().orElseThrow();
        assertThat(fullDead.messageAttributes()).as("no room left for attributes").isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> total(url) == 0);
    }

    @Test
    @DisplayName("with no dead-letter queue nor redrive policy, a job given up on is kept on the queue, hidden")
    void keptWithoutDeadLetterQueue() throws Exception {
        String url = SqsTestBackend.newQueue("keep");
        SqsJobQueue queue = open(new SizeCheckingClient(), url,
                SqsQueueOptions.builder().leaseTime(Duration.ofSeconds(2)).build());
        queue.put(Jobs.job("poison"));
        Delivery delivery = queue.take(Duration.ofSeconds(5)).orElseThrow();

        delivery.deadLetter("killed 11 workers");

        assertThat(queue.take(Duration.ofSeconds(3))).as("hidden far longer than its 2 s lease").isEmpty();
        assertThat(total(url)).isEqualTo(1);
        assertThat(invisible(url)).isEqualTo(1);
    }

    @Test
    @DisplayName("the reason is cut to fit the room left, never inside a character, and ids follow while they fit")
    void attributesFit() {
        Map<String, MessageAttributeValue> none = Map.of();
        Map<String, MessageAttributeValue> roomy = DeadLetters.DeadLetterAttributes.fit(none, "why", "q", "id", 10_000);
        assertThat(roomy).containsOnlyKeys(MessageAttributes.DEAD_LETTER_REASON, MessageAttributes.SOURCE_QUEUE,
                MessageAttributes.SOURCE_MESSAGE_ID);
        Map<String, MessageAttributeValue> tight = DeadLetters.DeadLetterAttributes.fit(none, "€".repeat(100),
                "q", "id", 60);
        assertThat(MessageAttributes.size(tight)).isLessThanOrEqualTo(60);
        assertThat(tight.get(MessageAttributes.DEAD_LETTER_REASON).stringValue()).matches("€+\\.\\.\\.");
        assertThat(DeadLetters.DeadLetterAttributes.fit(none, "why", "q", "id", 10)).isEmpty();
        assertThat(MessageAttributes.size(DeadLetters.DeadLetterAttributes.fit(none, "x".repeat(5000), "q", "id",
                1_000_000))).isLessThan(MessageAttributes.RESERVED_BYTES);
    }
}
