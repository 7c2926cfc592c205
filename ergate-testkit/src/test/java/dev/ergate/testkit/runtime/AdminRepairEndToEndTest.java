package dev.ergate.testkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.Workflow;
import dev.ergate.spi.DeadLetterFilter;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.JobEvent;
import dev.ergate.spi.RetryOutcome;
import dev.ergate.testkit.InMemoryJobAdmin;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.InMemoryJobStore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The admin's repairs, followed by a real worker: what an operator does after an incident. */
@DisplayName("Admin repairs with a running worker")
class AdminRepairEndToEndTest {

    private final InMemoryJobStore store = InMemoryJobStore.create();
    private final InMemoryJobQueue queue = InMemoryJobQueue.create();
    private final InMemoryJobAdmin admin = InMemoryJobAdmin.of(store, queue);
    private final AtomicInteger firstRuns = new AtomicInteger();
    private final AtomicInteger secondRuns = new AtomicInteger();
    private final AtomicBoolean broken = new AtomicBoolean(true);
    private final Ergate worker = Ergate.builder(queue, store)
            .options(ErgateOptions.builder().concurrency(2).pollTimeout(Duration.ofMillis(200))
                    .handleSignals(false).build())
            .build()
            .registerWorkflow(Workflow.builder("orders")
                    .step("first", Integer.class, (n, ctx) -> {
                        firstRuns.incrementAndGet();
                        return n + 1;
                    })
                    .step("second", Integer.class, (n, ctx) -> {
                        secondRuns.incrementAndGet();
                        if (broken.get()) {
                            throw new IllegalStateException("the payment service is down");
                        }
                        return n * 10;
                    })
                    .step("third", Integer.class, (n, ctx) -> n + 1)
                    .build());

    @AfterEach
    void stop() {
        worker.close();
        queue.close();
    }

    private JobStatus status(JobId id) {
        return store.find(id).orElseThrow().status();
    }

    @Test
    @DisplayName("a FAILED job retried from the admin runs again from the step that failed, to COMPLETED")
    void retryFromTheFailedStep() {
        worker.start();
        Job job = Job.builder().id("order-1").workflowName("orders").initialInputValue(IntNode.valueOf(4)).build();
        store.update(job);
        queue.put(job);
        await().atMost(Duration.ofSeconds(10)).until(() -> status(job.id()) == JobStatus.FAILED);
        assertThat(store.find(job.id()).orElseThrow().exceptionTraceback()).contains("payment service is down");

        broken.set(false);
        assertThat(admin.retryJob(job.id())).isEqualTo(RetryOutcome.RETRIED);
        await().atMost(Duration.ofSeconds(10)).until(() -> status(job.id()) == JobStatus.COMPLETED);

        Job done = store.find(job.id()).orElseThrow();
        assertThat(done.lastReturnValue().asInt()).isEqualTo((4 + 1) * 10 + 1);
        assertThat(done.exceptionTraceback()).isNull();
        assertThat(firstRuns).as("the first step is not run again").hasValue(1);
        assertThat(secondRuns).hasValue(2);
        assertThat(admin.history(job.id())).extracting(JobEvent::status)
                .containsSubsequence(JobStatus.FAILED, JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.COMPLETED);
    }

    @Test
    @DisplayName("a dead-lettered job whose state is FAILED runs to COMPLETED once requeued")
    void requeueADeadLetter() throws Exception {
        broken.set(false);
        Job job = Job.builder().id("order-2").workflowName("orders").initialInputValue(IntNode.valueOf(1)).build();
        store.update(job);
        queue.put(job);
        Delivery poisoned = queue.take(Duration.ofSeconds(1)).orElseThrow();
        store.update(job.toBuilder().status(JobStatus.FAILED).exceptionTraceback("delivered too often").build());
        poisoned.deadLetter("delivered too often");
        worker.start();

        assertThat(admin.requeueDeadLetters(DeadLetterFilter.builder().jobId("order-2").build()).requeued()).hasSize(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> status(job.id()) == JobStatus.COMPLETED);
        assertThat(store.find(job.id()).orElseThrow().lastReturnValue().asInt()).isEqualTo((1 + 1) * 10 + 1);
        assertThat(queue.deadLetters()).isEmpty();
    }
}
