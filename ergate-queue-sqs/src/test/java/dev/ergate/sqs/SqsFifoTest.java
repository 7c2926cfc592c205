package dev.ergate.sqs;

import static dev.ergate.sqs.QueueFixture.total;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.spi.Delivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

@DisplayName("SqsJobQueue on a FIFO queue")
class SqsFifoTest {

    private final QueueFixture queues = new QueueFixture();

    @AfterEach
    void close() {
        queues.close();
    }

    @Test
    @DisplayName("one job's steps stay in order while another job runs in parallel")
    void groupPerJob() throws Exception {
        String url = SqsTestBackend.newFifoQueue("order");
        SqsJobQueue queue = queues.open(url, 30);
        assertThat(queue.isFifo()).isTrue();
        Job a1 = Jobs.job("A");
        Job a2 = a1.toBuilder().stepName("second").stepsCompleted(1).build();
        queue.put(a1);
        queue.put(a2);
        queue.put(Jobs.job("B"));

        Delivery first = queue.take(Duration.ofSeconds(5)).orElseThrow();
        assertThat(first.job()).isEqualTo(a1);
        Delivery other = queue.take(Duration.ofSeconds(5)).orElseThrow();
        assertThat(other.job().id()).as("another job runs while A's first step is leased").isEqualTo(JobId.of("B"));
        assertThat(queue.take(Duration.ofSeconds(1))).as("A's second step waits for its first").isEmpty();

        first.ack();
        Delivery second = queue.take(Duration.ofSeconds(5)).orElseThrow();
        assertThat(second.job()).isEqualTo(a2);
        second.ack();
        other.ack();
        assertThat(total(url)).isZero();
    }

    @Test
    @DisplayName("a second put of the same job, step and attempt is deduplicated; the next attempt is not")
    void deduplicationPerJobStepAndAttempt() throws Exception {
        String url = SqsTestBackend.newFifoQueue("dedup");
        SqsJobQueue queue = queues.open(url, 30);
        Job job = Jobs.job("D");
        Job retry = job.toBuilder().extraField(MessageIds.ATTEMPT_FIELD,
                com.fasterxml.jackson.databind.node.IntNode.valueOf(2)).build();
        queue.put(job);
        queue.put(job);
        queue.put(retry);
        Delivery one = queue.take(Duration.ofSeconds(5)).orElseThrow();
        assertThat(one.job()).isEqualTo(job);
        one.ack();
        Delivery two = queue.take(Duration.ofSeconds(5)).orElseThrow();
        assertThat(two.job()).as("the retry, not the repeated put").isEqualTo(retry);
        two.ack();
        assertThat(queue.take(Duration.ofSeconds(1))).isEmpty();
        assertThat(total(url)).isZero();
    }

    @Test
    @DisplayName("the message group is the job id; ids SQS can't take as a group are hashed")
    void groupIds() throws Exception {
        String url = SqsTestBackend.newFifoQueue("groups");
        SqsJobQueue queue = queues.open(url, 30);
        List<String> ids = List.of("plain-7", "with space and ünïcode", "x".repeat(300));
        for (String id : ids) {
            queue.put(Jobs.job(id));
        }
        List<Message> raw = new ArrayList<>();
        while (raw.size() < ids.size()) {
            raw.addAll(SqsTestBackend.client().receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)
                    .waitTimeSeconds(2).visibilityTimeout(30)
                    .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID)).messages());
        }
        assertThat(raw).extracting(m -> m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID))
                .containsExactlyInAnyOrder("plain-7", MessageIds.groupId(JobId.of("with space and ünïcode")),
                        MessageIds.groupId(JobId.of("x".repeat(300))))
                .allSatisfy(g -> assertThat(g).hasSizeLessThanOrEqualTo(128));
    }
}
