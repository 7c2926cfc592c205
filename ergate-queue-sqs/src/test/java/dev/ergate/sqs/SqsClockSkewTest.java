package dev.ergate.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.Workflow;
import dev.ergate.spi.Delivery;
import dev.ergate.testkit.InMemoryJobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Workers whose clocks are 2 minutes off (issue 14, item 4): start times are compared with SQS's
 * clock, which the adapter learns from the messages SQS hands out, not with the worker's. A worker
 * behind neither defers a due step nor sends one with a delay; a worker ahead starts nothing early.
 */
@DisplayName("SQS with skewed worker clocks")
class SqsClockSkewTest {

    private static final Duration SKEW = Duration.ofMinutes(2);

    private final QueueFixture queues = new QueueFixture();
    private @Nullable Ergate worker;

    @AfterEach
    void close() {
        if (worker != null) {
            worker.close();
        }
        queues.close();
    }

    private static SqsQueueOptions on(Clock clock) {
        return SqsQueueOptions.builder().leaseTime(Duration.ofSeconds(30)).clock(clock).build();
    }

    @Test
    @DisplayName("a 3-step job with a start time runs on a worker 2 minutes behind without a 2-minute gap")
    void behindRunsWithoutGap() {
        Clock behind = Clock.offset(Clock.systemUTC(), SKEW.negated());
        String url = SqsTestBackend.newQueue("skew-behind");
        SqsJobQueue producer = queues.open(url, 30);
        SqsJobQueue queue = queues.open(url, on(behind));
        InMemoryJobStore store = InMemoryJobStore.create();
        List<Instant> starts = new CopyOnWriteArrayList<>();
        Workflow three = Workflow.builder("three")
                .step("a", JsonNode.class, (in, ctx) -> starts.add(Instant.now()))
                .step("b", JsonNode.class, (in, ctx) -> starts.add(Instant.now()))
                .step("c", JsonNode.class, (in, ctx) -> starts.add(Instant.now()))
                .build();
        Ergate app = Ergate.builder(queue, store)
                .options(ErgateOptions.builder().concurrency(1).pollTimeout(Duration.ofMillis(500)).clock(behind)
                        .drainTimeout(Duration.ofSeconds(2)).handleSignals(false).build())
                .build();
        worker = app;
        app.registerWorkflow(three);
        app.start();
        // submitted by a producer whose clock is right, due in a second; every later step carries that time
        Instant due = Instant.now().plusSeconds(1);
        Job job = Job.builder().id("skew-3").workflowName("three").status(JobStatus.QUEUED)
                .requestedStartTime(due).build();
        store.update(job);
        producer.put(job);

        await().atMost(Duration.ofSeconds(40)).until(() -> store.find(JobId.of("skew-3")).map(Job::status)
                .orElseThrow() == JobStatus.COMPLETED);
        assertThat(starts).hasSize(3);
        assertThat(starts.get(0)).as("not before its start time").isAfterOrEqualTo(due);
        assertThat(Duration.between(starts.get(0), starts.get(2))).as("first to last step")
                .isLessThan(Duration.ofSeconds(20));
    }

    @Test
    @DisplayName("a worker 2 minutes behind sends a step due now without a delay")
    void behindSendsDueStepAtOnce() throws Exception {
        Clock behind = Clock.offset(Clock.systemUTC(), SKEW.negated());
        String url = SqsTestBackend.newQueue("skew-put");
        SqsJobQueue queue = queues.open(url, on(behind));
        queue.put(Jobs.job("first"));
        Delivery first = queue.take(Duration.ofSeconds(5)).orElseThrow(); // SQS's clock, learned here
        first.ack();

        Job next = Jobs.job("next").toBuilder().requestedStartTime(Instant.now().minusMillis(100)).build();
        queue.put(next);
        assertThat(QueueFixture.delayed(url)).as("sent with a delay").isZero();
        Optional<Delivery> taken = queue.take(Duration.ofSeconds(3));
        assertThat(taken).as("handed out at once").isPresent();
        taken.get().ack();
    }

    @Test
    @DisplayName("a worker 2 minutes ahead hands out no job before its start time (FIFO: no SQS delay to lean on)")
    void aheadStartsNothingEarly() throws Exception {
        Clock ahead = Clock.offset(Clock.systemUTC(), SKEW);
        String url = SqsTestBackend.newFifoQueue("skew-ahead");
        SqsJobQueue producer = queues.open(url, 30);
        SqsJobQueue queue = queues.open(url, on(ahead));
        Instant due = Instant.now().plusSeconds(4);
        Job job = Jobs.job("early").toBuilder().requestedStartTime(due).build();
        producer.put(job);

        Delivery delivery = null;
        while (delivery == null) {
            delivery = queue.take(Duration.ofSeconds(10)).orElse(null);
            assertThat(Instant.now()).as("still waiting at its start time + 15 s").isBefore(due.plusSeconds(15));
        }
        assertThat(Instant.now()).as("handed out at").isAfterOrEqualTo(due);
        assertThat(delivery.deliveryCount()).as("waiting is not a delivery").isEqualTo(1);
        delivery.ack();
    }

    @Test
    @DisplayName("SQS's clock is learned from a first receive, never ahead of SQS")
    void learnsOffset() {
        Instant arrived = Instant.parse("2026-12-03T12:00:00Z");
        ServerClock server = new ServerClock(Clock.fixed(arrived, java.time.ZoneOffset.UTC));
        assertThat(server.now()).as("before any receive: the worker's clock").isEqualTo(arrived);

        Message again = message("2", arrived.plusSeconds(500));
        server.observe(List.of(again), arrived);
        assertThat(server.offsetMillis()).as("a later receive tells nothing of now").isZero();

        server.observe(List.of(message("1", arrived.plusSeconds(120).minusMillis(30)), again), arrived);
        assertThat(server.offsetMillis()).isEqualTo(119_970);
        assertThat(server.now()).isEqualTo(arrived.plusSeconds(120).minusMillis(30));
    }

    private static Message message(String receiveCount, Instant firstReceive) {
        return Message.builder().messageId("m").body("{}").attributesWithStrings(java.util.Map.of(
                MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT.toString(), receiveCount,
                MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP.toString(),
                Long.toString(firstReceive.toEpochMilli()))).build();
    }
}
