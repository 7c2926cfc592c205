package dev.ergate.sqs;

import static dev.ergate.sqs.QueueFixture.total;
import static dev.ergate.sqs.QueueFixture.visible;
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
import dev.ergate.spi.ErgateBackendException;
import dev.ergate.spi.JobPage;
import dev.ergate.spi.JobQuery;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.StepStart;
import dev.ergate.testkit.InMemoryJobStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A delivery given back before its step started ({@link Delivery#releaseUnstarted}) is a fresh
 * message on SQS: its receive count starts again, so a store outage, however long, can't walk a
 * healthy job into the redrive policy's dead-letter queue (issue 14, item 2).
 */
@DisplayName("SQS: give-backs before a step started")
class SqsUnstartedReleaseTest {

    private final QueueFixture queues = new QueueFixture();
    private @Nullable Ergate worker;

    @AfterEach
    void close() {
        if (worker != null) {
            worker.close();
        }
        queues.close();
    }

    @Test
    @DisplayName("a fresh copy replaces the message: SQS's receive count starts again, deliveryCount keeps the counted ones")
    void freshCopy() throws Exception {
        String url = SqsTestBackend.newQueue("unstarted");
        SqsJobQueue queue = queues.open(url, 30);
        queue.put(Jobs.rich("u-1"));

        Delivery first = queue.take(Duration.ofSeconds(5)).orElseThrow();
        first.release(Duration.ZERO); // a delivery that counts: say its worker died
        Delivery second = queue.take(Duration.ofSeconds(5)).orElseThrow();
        assertThat(second.deliveryCount()).isEqualTo(2);
        second.releaseUnstarted(Duration.ZERO);

        Delivery third = queue.take(Duration.ofSeconds(5)).orElseThrow();
        assertThat(third.job()).isEqualTo(Jobs.rich("u-1"));
        assertThat(third.deliveryCount()).as("the counted delivery, and this one").isEqualTo(2);
        third.releaseUnstarted(Duration.ZERO);
        Message raw = SqsTestBackend.client().receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(5)
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                .messages().get(0);
        assertThat(raw.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                .as("SQS's own count, which its redrive policy reads").isEqualTo("1");
        assertThat(total(url)).as("one message: the original was deleted").isEqualTo(1);
        third.ack(); // ended already: does nothing
    }

    @Test
    @DisplayName("a store that fails writes for many more receives than the redrive limit dead-letters no healthy job")
    void storeOutageUnderRedrivePolicy() {
        String dlq = SqsTestBackend.newQueue("unstarted-dlq");
        String policy = "{\"maxReceiveCount\":\"2\",\"deadLetterTargetArn\":\"" + SqsTestBackend.arn(dlq) + "\"}";
        String url = SqsTestBackend.create("unstarted-redrive", false, Map.of(QueueAttributeName.REDRIVE_POLICY, policy));
        SqsJobQueue queue = queues.open(url, 5);
        InMemoryJobStore memory = InMemoryJobStore.create();
        WriteFailingStore store = new WriteFailingStore(memory);
        Job job = Job.builder().id("patient").workflowName("one").status(JobStatus.QUEUED).build();
        memory.update(job);
        queue.put(job);
        store.down = true;
        Ergate app = Ergate.builder(queue, store)
                .options(ErgateOptions.builder().concurrency(1).pollTimeout(Duration.ofMillis(500)).maxDeliveries(2)
                        .backendRetryAttempts(1).backendRetryDelays(Duration.ofMillis(10), Duration.ofMillis(100))
                        .drainTimeout(Duration.ofSeconds(2)).handleSignals(false).build())
                .build();
        worker = app;
        app.registerWorkflow(Workflow.builder("one").step("a", JsonNode.class, (in, ctx) -> "done").build());
        app.start();

        // the store answers reads (the worker's probe) but refuses writes: each receive is given back unstarted
        await().atMost(Duration.ofSeconds(60)).until(() -> store.refused.get() >= 5);
        assertThat(visible(dlq)).as("moved by the redrive policy").isZero();
        store.down = false;

        await().atMost(Duration.ofSeconds(30))
                .until(() -> memory.find(JobId.of("patient")).map(Job::status).orElseThrow() == JobStatus.COMPLETED);
        assertThat(visible(dlq)).as("moved by the redrive policy").isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> total(url) == 0);
    }

    /** A store that refuses every write transiently while {@link #down}, and answers reads. */
    static final class WriteFailingStore implements JobStore {
        private final JobStore delegate;
        volatile boolean down;
        final AtomicInteger refused = new AtomicInteger();

        WriteFailingStore(JobStore delegate) {
            this.delegate = delegate;
        }

        private void write() {
            if (down) {
                refused.incrementAndGet();
                throw new ErgateBackendException("test store: writes refused (read-only for a while)", null, true);
            }
        }

        @Override
        public void update(Job job) {
            write();
            delegate.update(job);
        }

        @Override
        public StepStart startStep(Job running) {
            write();
            return delegate.startStep(running);
        }

        @Override
        public Optional<Job> find(JobId id) {
            return delegate.find(id);
        }

        @Override
        public JobPage list(JobQuery query) {
            return delegate.list(query);
        }

        @Override
        public boolean requestCancel(JobId id) {
            write();
            return delegate.requestCancel(id);
        }
    }
}
