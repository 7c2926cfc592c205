package dev.ergate.sqs;

import static dev.ergate.sqs.QueueFixture.delayed;
import static dev.ergate.sqs.QueueFixture.invisible;
import static dev.ergate.sqs.QueueFixture.total;
import static dev.ergate.sqs.QueueFixture.visible;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ergate.Job;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.ErgateBackendException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

@DisplayName("requested_start_time, long releases and the 12-hour visibility ceiling")
class SqsStartTimeTest {

    private final QueueFixture queues = new QueueFixture();

    @AfterEach
    void close() {
        queues.close();
    }

    private static Job startingIn(String id, Duration in) {
        return Jobs.job(id).toBuilder().requestedStartTime(Instant.now().plus(in)).build();
    }

    private static SqsQueueOptions withClock(TestClock clock) {
        return SqsQueueOptions.builder().leaseTime(Duration.ofSeconds(30)).clock(clock).build();
    }

    private void assertHandedOutOnTime(SqsJobQueue queue, Job job) throws InterruptedException {
        assertThat(queue.take(Duration.ofSeconds(1))).as("not before its start time").isEmpty();
        Delivery delivery = queue.take(Duration.ofSeconds(15)).orElseThrow();
        assertThat(Instant.now()).isAfterOrEqualTo(job.requestedStartTime());
        assertThat(delivery.job()).isEqualTo(job);
        assertThat(delivery.deliveryCount()).as("waiting is not counted as a delivery").isEqualTo(1);
        delivery.ack();
    }

    @Test
    @DisplayName("standard queue: a start a few seconds away becomes DelaySeconds, and the job comes no sooner")
    void standardShortDelay() throws Exception {
        String url = SqsTestBackend.newQueue("start-std");
        SqsJobQueue queue = queues.open(url, 30);
        Job job = startingIn("s-1", Duration.ofSeconds(3));
        queue.put(job);
        assertThat(delayed(url)).isEqualTo(1);
        assertHandedOutOnTime(queue, job);
    }

    @Test
    @DisplayName("FIFO queue (no per-message delay): the job is hidden when received early, and comes no sooner")
    void fifoShortDelay() throws Exception {
        String url = SqsTestBackend.newFifoQueue("start-fifo");
        SqsJobQueue queue = queues.open(url, 30);
        Job job = startingIn("f-1", Duration.ofSeconds(3));
        queue.put(job);
        assertHandedOutOnTime(queue, job);
    }

    @Test
    @DisplayName("standard queue: a start hours away is delayed by SQS's 15-minute maximum first")
    void standardFarStart() throws Exception {
        String url = SqsTestBackend.newQueue("start-far");
        SqsJobQueue queue = queues.open(url, 30);
        queue.put(startingIn("far-1", Duration.ofHours(2)));
        assertThat(delayed(url)).isEqualTo(1);
        assertThat(queue.take(Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    @DisplayName("a job received hours before its start is hidden, not handed out")
    void earlyReceiveIsHidden() throws Exception {
        String url = SqsTestBackend.newQueue("start-hide");
        TestClock producerClock = new TestClock();
        producerClock.shift(Duration.ofHours(3));
        SqsJobQueue producer = queues.open(url, withClock(producerClock));
        SqsJobQueue worker = queues.open(url, 30);
        producer.put(startingIn("hide-1", Duration.ofHours(2)));
        assertThat(delayed(url)).as("the producer thinks it is due").isZero();

        assertThat(worker.take(Duration.ofSeconds(2))).isEmpty();
        assertThat(visible(url)).isZero();
        assertThat(invisible(url)).as("hidden until its start").isEqualTo(1);
    }

    @Test
    @DisplayName("a job received early a second time is replaced by a delayed copy that starts its receive count afresh")
    void secondEarlyReceiveMakesACopy() throws Exception {
        String url = SqsTestBackend.newQueue("start-copy");
        TestClock producerClock = new TestClock();
        producerClock.shift(Duration.ofHours(1));
        SqsJobQueue producer = queues.open(url, withClock(producerClock));
        SqsJobQueue worker = queues.open(url, 30);
        Job job = startingIn("copy-1", Duration.ofSeconds(4));
        producer.put(job);
        receiveAndReleaseRaw(url);

        assertThat(worker.take(Duration.ofSeconds(1))).isEmpty();
        assertThat(delayed(url)).as("the copy").isEqualTo(1);
        assertThat(total(url)).as("the original is gone").isEqualTo(1);
        assertHandedOutOnTime(worker, job);
    }

    @Test
    @DisplayName("FIFO queue: a job received early a second time is copied into its group and still not run early")
    void fifoCopy() throws Exception {
        String url = SqsTestBackend.newFifoQueue("start-fifo-copy");
        TestClock producerClock = new TestClock();
        producerClock.shift(Duration.ofHours(1));
        SqsJobQueue producer = queues.open(url, withClock(producerClock));
        SqsJobQueue worker = queues.open(url, 30);
        Job job = startingIn("fcopy-1", Duration.ofSeconds(4));
        producer.put(job);
        receiveAndReleaseRaw(url);
        assertHandedOutOnTime(worker, job);
        assertThat(total(url)).isZero();
    }

    @Test
    @DisplayName("release past the 12-hour ceiling replaces the message by a delayed copy")
    void longRelease() throws Exception {
        String url = SqsTestBackend.newQueue("long-release");
        TestClock clock = new TestClock();
        SqsJobQueue queue = queues.open(url, withClock(clock));
        queue.put(Jobs.job("lr-1"));
        Delivery delivery = queue.take(Duration.ofSeconds(5)).orElseThrow();
        clock.shift(Duration.ofHours(11).plusMinutes(59));
        delivery.release(Duration.ofHours(1));
        assertThat(delayed(url)).isEqualTo(1);
        assertThat(total(url)).isEqualTo(1);
    }

    @Test
    @DisplayName("extend stops at the 12-hour ceiling, and fails clearly once it is reached")
    void extendCeiling() throws Exception {
        String url = SqsTestBackend.newQueue("ceiling");
        TestClock clock = new TestClock();
        SqsJobQueue queue = queues.open(url, withClock(clock));
        queue.put(Jobs.job("ceil-1"));
        Delivery delivery = queue.take(Duration.ofSeconds(5)).orElseThrow();

        clock.shift(Duration.ofHours(11).plusMinutes(59).plusSeconds(30));
        delivery.extend(Duration.ofMinutes(5));
        assertThat(delivery.leaseExpiresAt()).isBefore(clock.instant().plusSeconds(25));

        clock.shift(Duration.ofMinutes(1));
        assertThatThrownBy(() -> delivery.extend(Duration.ofMinutes(5)))
                .isInstanceOf(ErgateBackendException.class)
                .hasMessageContaining("ceil-1").hasMessageContaining("12 hours")
                .satisfies(e -> assertThat(((ErgateBackendException) e).isTransient()).isFalse());
        delivery.ack();
    }

    /** Stands for a receive that happened before (a worker that died, say): the receive count is now 1. */
    private static void receiveAndReleaseRaw(String url) {
        List<Message> got = SqsTestBackend.client().receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(5)
                .visibilityTimeout(30)).messages();
        assertThat(got).hasSize(1);
        SqsTestBackend.client().changeMessageVisibility(r -> r.queueUrl(url)
                .receiptHandle(got.get(0).receiptHandle()).visibilityTimeout(0));
    }
}
