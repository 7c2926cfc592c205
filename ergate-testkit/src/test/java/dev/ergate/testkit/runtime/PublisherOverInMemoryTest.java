package dev.ergate.testkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.ErgatePublisher;
import dev.ergate.runtime.PublisherOptions;
import dev.ergate.runtime.Workflow;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.JobQuery;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.InMemoryJobStore;
import dev.ergate.testkit.ManualClock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The runtime's ErgatePublisher driving the in-memory store as its JobSource. */
@DisplayName("ErgatePublisher over the in-memory store")
class PublisherOverInMemoryTest {

    @Test
    @DisplayName("queues scheduled jobs when they are due on the clock, once each")
    void scheduledJobs() throws Exception {
        ManualClock clock = ManualClock.create();
        InMemoryJobStore store = InMemoryJobStore.builder().clock(clock).build();
        InMemoryJobQueue queue = InMemoryJobQueue.builder().clock(clock).build();
        ErgatePublisher publisher = ErgatePublisher.builder(store, queue).options(PublisherOptions.builder().clock(clock).build()).build();
        store.update(Job.builder().id("now").workflowName("w").status(JobStatus.SCHEDULED).build());
        store.update(Job.builder().id("later").workflowName("w").status(JobStatus.SCHEDULED)
                .requestedStartTime(clock.instant().plus(Duration.ofHours(1))).build());

        assertThat(publisher.publishDue()).isEqualTo(1);
        assertThat(publisher.publishDue()).isZero();
        clock.advance(Duration.ofHours(1));
        assertThat(publisher.publishDue()).isEqualTo(1);

        assertThat(queue.jobs()).extracting(job -> job.id().value()).containsExactlyInAnyOrder("now", "later");
        assertThat(store.list(JobQuery.builder().status(JobStatus.QUEUED).build()).jobs()).hasSize(2);
        Delivery first = queue.take(Duration.ZERO).orElseThrow();
        assertThat(first.job().status()).isEqualTo(JobStatus.QUEUED);
        queue.close();
    }

    @Test
    @DisplayName("with a PENDING-style worker, moves every job through all its steps to the end")
    void pendingStyleWorker() throws Exception {
        int jobs = 100;
        InMemoryJobStore store = InMemoryJobStore.create();
        InMemoryJobQueue queue = InMemoryJobQueue.create();
        CountDownLatch done = new CountDownLatch(jobs);
        Workflow workflow = Workflow.builder("pending")
                .step("a", Integer.class, (n, ctx) -> n + 1)
                .step("b", Integer.class, (n, ctx) -> n * 2)
                .step("c", Integer.class, (n, ctx) -> {
                    done.countDown();
                    return n - 1;
                })
                .build();
        ErgateOptions options = ErgateOptions.builder().concurrency(4).afterStepStatus(JobStatus.PENDING)
                .pollTimeout(Duration.ofMillis(200)).handleSignals(false).build();
        try (Ergate worker = Ergate.builder(queue, store).options(options).build().registerWorkflow(workflow);
                ErgatePublisher publisher = ErgatePublisher.builder(store, queue).options(PublisherOptions.builder().pollInterval(Duration.ofMillis(20)).build()).build()) {
            for (int i = 0; i < jobs; i++) {
                store.update(Job.builder().id(JobId.of(i)).workflowName("pending").status(JobStatus.PENDING)
                        .initialInputValue(IntNode.valueOf(i)).build());
            }
            worker.start();
            publisher.start();
            assertThat(done.await(60, TimeUnit.SECONDS)).as("every job reached its last step").isTrue();
        }

        for (int i = 0; i < jobs; i++) {
            Job job = store.find(JobId.of(i)).orElseThrow();
            assertThat(job.status()).as("job %d", i).isEqualTo(JobStatus.COMPLETED);
            assertThat(job.lastReturnValue().intValue()).isEqualTo((i + 1) * 2 - 1);
            assertThat(store.history(JobId.of(i))).extracting(Job::status).endsWith(JobStatus.RUNNING, JobStatus.COMPLETED);
        }
        queue.close();
    }
}
