package dev.ergate.sqs;

import static dev.ergate.sqs.QueueFixture.total;
import static dev.ergate.sqs.QueueFixture.visible;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ergate.spi.Delivery;
import dev.ergate.spi.LeaseLostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * A worker past its lease must not fork a job's chain: SQS's DeleteMessage may accept a stale
 * receipt handle (its docs say the call succeeds), so nothing of a stale delivery may delete or
 * copy the message another taker now holds.
 */
@DisplayName("a stale delivery on SQS, past its lease")
class SqsStaleLeaseTest {

    /** Counts the deletes and sends of one queue. */
    static final class RecordingClient extends ForwardingSqsClient {
        final List<String> deletedHandles = new ArrayList<>();
        final List<String> sentBodies = new ArrayList<>();

        @Override
        public DeleteMessageBatchResponse deleteMessageBatch(DeleteMessageBatchRequest request) {
            synchronized (this) {
                request.entries().stream().map(DeleteMessageBatchRequestEntry::receiptHandle).forEach(deletedHandles::add);
            }
            return super.deleteMessageBatch(request);
        }

        @Override
        public SendMessageResponse sendMessage(SendMessageRequest request) {
            synchronized (this) {
                sentBodies.add(request.messageBody());
            }
            return super.sendMessage(request);
        }
    }

    private final List<SqsJobQueue> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(SqsJobQueue::close);
    }

    private SqsJobQueue open(ForwardingSqsClient client, String url, SqsQueueOptions options) {
        SqsJobQueue queue = SqsJobQueue.builder().client(client).queueUrl(url).queueOptions(options).build();
        opened.add(queue);
        return queue;
    }

    private static void awaitLeaseOver(Delivery delivery) {
        await().atMost(Duration.ofSeconds(5)).until(() -> Clock.systemUTC().instant().isAfter(delivery.leaseExpiresAt()));
    }

    @Test
    @DisplayName("ack, dead-letter and a long release after another taker got the message send nothing; extend throws")
    void staleEndingCallsTouchNothing() throws Exception {
        String url = SqsTestBackend.newQueue("stale-fork");
        String dlq = SqsTestBackend.newQueue("stale-fork-dlq");
        SqsQueueOptions options = SqsQueueOptions.builder().leaseTime(Duration.ofSeconds(1))
                .deadLetterQueueUrl(dlq).build();
        RecordingClient staleClient = new RecordingClient();
        SqsJobQueue stale = open(staleClient, url, options);
        SqsJobQueue fresh = open(new ForwardingSqsClient(), url, options);
        fresh.put(Jobs.job("fork-1"));
        fresh.put(Jobs.job("fork-2"));
        fresh.put(Jobs.job("fork-3"));
        List<Delivery> old = List.of(stale.take(Duration.ofSeconds(5)).orElseThrow(),
                stale.take(Duration.ofSeconds(5)).orElseThrow(), stale.take(Duration.ofSeconds(5)).orElseThrow());
        List<Delivery> current = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Delivery next = fresh.take(Duration.ofSeconds(10)).orElseThrow();
            next.extend(Duration.ofSeconds(30));
            current.add(next);
        }

        assertThatThrownBy(() -> old.get(0).extend(Duration.ofSeconds(30))).isInstanceOf(LeaseLostException.class);
        old.get(0).ack();
        old.get(1).deadLetter("stale worker gives up");
        old.get(2).release(Duration.ofHours(13)); // past the 12-hour ceiling: a delayed copy

        assertThat(staleClient.deletedHandles).as("deletes sent with a stale receipt handle").isEmpty();
        assertThat(staleClient.sentBodies).as("copies sent of a message another taker holds").isEmpty();
        assertThat(visible(dlq)).isZero();
        for (Delivery delivery : current) {
            delivery.ack();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> total(url) == 0);
    }

    @Test
    @DisplayName("an ack after the lease ran out, with no other taker, takes the lease back and deletes the message")
    void lateAckStillDeletes() throws Exception {
        String url = SqsTestBackend.newQueue("late-ack");
        SqsJobQueue queue = open(new ForwardingSqsClient(), url,
                SqsQueueOptions.builder().leaseTime(Duration.ofSeconds(1)).build());
        queue.put(Jobs.job("late-1"));
        Delivery delivery = queue.take(Duration.ofSeconds(5)).orElseThrow();
        awaitLeaseOver(delivery);

        delivery.ack();

        await().atMost(Duration.ofSeconds(5)).until(() -> total(url) == 0);
    }
}
