package dev.ergate.sqs;

import static dev.ergate.sqs.QueueFixture.invisible;
import static dev.ergate.sqs.QueueFixture.total;
import static dev.ergate.sqs.QueueFixture.visible;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ergate.spi.Delivery;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

@DisplayName("poison messages and dead letters")
class SqsPoisonTest {

    private final QueueFixture queues = new QueueFixture();

    @AfterEach
    void close() {
        queues.close();
    }

    private static void sendRaw(String url, String body) {
        SqsTestBackend.client().sendMessage(r -> r.queueUrl(url).messageBody(body));
    }

    private static List<Message> drain(String url) {
        return SqsTestBackend.client().receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)
                .waitTimeSeconds(2).messageAttributeNames("All")).messages();
    }

    @Test
    @DisplayName("undecodable messages are never handed out: they move to the dead-letter queue with the reason")
    void toDeadLetterQueue() throws Exception {
        String url = SqsTestBackend.newQueue("poison");
        String dlq = SqsTestBackend.newQueue("poison-dlq");
        SqsJobQueue queue = queues.open(url, SqsQueueOptions.builder().deadLetterQueueUrl(dlq).build());
        sendRaw(url, "this is not json");
        sendRaw(url, "{\"id\": \"x\", \"status\": \"QUEUED\"}");
        queue.put(Jobs.job("good-1"));

        Delivery good = null;
        for (int i = 0; i < 3 && good == null; i++) {
            good = queue.take(Duration.ofSeconds(3)).orElse(null);
        }
        assertThat(good).isNotNull();
        assertThat(good.job().id().value()).isEqualTo("good-1");
        good.ack();
        assertThat(queue.take(Duration.ofSeconds(1))).isEmpty();

        await().atMost(Duration.ofSeconds(10)).until(() -> visible(dlq) == 2);
        List<Message> dead = drain(dlq);
        assertThat(dead).extracting(Message::body)
                .containsExactlyInAnyOrder("this is not json", "{\"id\": \"x\", \"status\": \"QUEUED\"}");
        assertThat(dead).allSatisfy(m -> {
            assertThat(m.messageAttributes().get(MessageAttributes.DEAD_LETTER_REASON).stringValue())
                    .startsWith("not a job");
            assertThat(m.messageAttributes().get(MessageAttributes.SOURCE_QUEUE).stringValue()).isEqualTo(url);
        });
        assertThat(dead).anySatisfy(m -> assertThat(m.messageAttributes()
                .get(MessageAttributes.DEAD_LETTER_REASON).stringValue()).contains("workflow_name"));
        await().atMost(Duration.ofSeconds(5)).until(() -> total(url) == 0);
    }

    @Test
    @DisplayName("with no dead-letter queue configured, an undecodable message stays for the redrive policy")
    void leftForRedrive() throws Exception {
        String dlq = SqsTestBackend.newQueue("redrive-dlq");
        String policy = "{\"maxReceiveCount\":\"2\",\"deadLetterTargetArn\":\"" + SqsTestBackend.arn(dlq) + "\"}";
        String url = SqsTestBackend.create("redrive", false, Map.of(QueueAttributeName.REDRIVE_POLICY, policy));
        SqsJobQueue queue = queues.open(url, 1);
        sendRaw(url, "<xml/>");

        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).until(() -> {
            assertThat(queue.take(Duration.ofSeconds(1))).isEmpty();
            return visible(dlq) == 1;
        });
        assertThat(drain(dlq)).extracting(Message::body).containsExactly("<xml/>");
        await().atMost(Duration.ofSeconds(5)).until(() -> total(url) == 0);
    }

    @Test
    @DisplayName("with neither a dead-letter queue nor a redrive policy, an undecodable message is logged and kept,"
            + " hidden")
    void keptWithoutDeadLetterQueue() throws Exception {
        String url = SqsTestBackend.newQueue("keep");
        SqsJobQueue queue = queues.open(url, 2);
        sendRaw(url, "[1, 2, 3]");
        assertThat(queue.take(Duration.ofSeconds(4))).as("never handed out, hidden past its 2 s lease").isEmpty();
        assertThat(total(url)).isEqualTo(1);
        assertThat(invisible(url)).isEqualTo(1);
        assertThat(queue.setupWarnings()).anySatisfy(w -> assertThat(w).contains("no dead-letter queue"));
    }

    @Test
    @DisplayName("deadLetter(reason) moves a job to the dead-letter queue with its reason")
    void deadLetterCall() throws Exception {
        String url = SqsTestBackend.newQueue("dl");
        String dlq = SqsTestBackend.newQueue("dl-dlq");
        SqsJobQueue queue = queues.open(url, SqsQueueOptions.builder().deadLetterQueueUrl(dlq).build());
        queue.put(Jobs.rich("dl-1"));
        Delivery delivery = queue.take(Duration.ofSeconds(5)).orElseThrow();
        delivery.deadLetter("killed 5 workers");
        await().atMost(Duration.ofSeconds(5)).until(() -> visible(dlq) == 1);
        Message dead = drain(dlq).get(0);
        assertThat(dev.ergate.JobCodec.standard().decode(dead.body())).isEqualTo(Jobs.rich("dl-1"));
        assertThat(dead.messageAttributes().get(MessageAttributes.DEAD_LETTER_REASON).stringValue())
                .isEqualTo("killed 5 workers");
        await().atMost(Duration.ofSeconds(5)).until(() -> total(url) == 0);
    }

    @Test
    @DisplayName("a FIFO queue dead-letters into a FIFO dead-letter queue")
    void fifoDeadLetters() throws Exception {
        String url = SqsTestBackend.newFifoQueue("fifo-poison");
        String dlq = SqsTestBackend.newFifoQueue("fifo-poison-dlq");
        SqsJobQueue queue = queues.open(url, SqsQueueOptions.builder().deadLetterQueueUrl(dlq).build());
        SqsTestBackend.client().sendMessage(r -> r.queueUrl(url).messageBody("nope")
                .messageGroupId("g").messageDeduplicationId("d1"));
        assertThat(queue.take(Duration.ofSeconds(2))).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> visible(dlq) == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> total(url) == 0);
    }
}
