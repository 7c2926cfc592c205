package dev.ergate.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.support.TestQueue;
import dev.ergate.runtime.support.TestStore;
import dev.ergate.spi.JobSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PublisherTest {

    /** A JobSource over a TestStore: due = SCHEDULED or PENDING, start time passed or absent. */
    static class StoreSource implements JobSource {
        final TestStore store;
        final Set<JobId> claimed = new HashSet<>();
        final List<String> failures = new ArrayList<>();

        StoreSource(TestStore store) {
            this.store = store;
        }

        @Override
        public synchronized List<Job> claimDue(Instant now, int max) {
            List<Job> due = new ArrayList<>();
            for (Job job : store.all().values()) {
                boolean waiting = job.status() == JobStatus.SCHEDULED || job.status() == JobStatus.PENDING;
                boolean time = job.requestedStartTime() == null || !job.requestedStartTime().isAfter(now);
                if (waiting && time && !claimed.contains(job.id()) && due.size() < max) {
                    claimed.add(job.id());
                    due.add(job);
                }
            }
            return due;
        }

        @Override
        public synchronized void published(Job queued) {
            // a worker may already have taken the job and written a newer state: record QUEUED
            // only over the state that was claimed, as a real source does with a conditional update
            synchronized (store) {
                Job current = store.find(queued.id()).orElseThrow();
                boolean unchanged = (current.status() == JobStatus.SCHEDULED || current.status() == JobStatus.PENDING)
                        && current.stepsCompleted() == queued.stepsCompleted();
                if (unchanged) {
                    store.update(queued);
                }
            }
            claimed.remove(queued.id());
        }

        @Override
        public synchronized void publishFailed(Job job, Exception failure) {
            failures.add(job.id() + ": " + failure.getMessage());
            claimed.remove(job.id());
        }
    }

    @Test
    void putsOnlyDueJobsAndMarksThemQueued() {
        Instant now = Instant.parse("2030-01-01T12:00:00Z");
        TestStore store = new TestStore();
        store.update(Job.builder().workflowName("w").id("past").status(JobStatus.SCHEDULED)
                .requestedStartTime(now.minusSeconds(1)).build());
        store.update(Job.builder().workflowName("w").id("future").status(JobStatus.SCHEDULED)
                .requestedStartTime(now.plusSeconds(60)).build());
        store.update(Job.builder().workflowName("w").id("pending").status(JobStatus.PENDING).build());
        store.update(Job.builder().workflowName("w").id("running").status(JobStatus.RUNNING).build());
        TestQueue queue = new TestQueue(Clock.fixed(now, ZoneOffset.UTC), Duration.ofSeconds(30));
        ErgatePublisher publisher = ErgatePublisher.builder(new StoreSource(store), queue).options(PublisherOptions.builder().clock(Clock.fixed(now, ZoneOffset.UTC)).build()).build();

        assertThat(publisher.publishDue()).isEqualTo(2);
        assertThat(queue.puts()).extracting(j -> j.id().value()).containsExactlyInAnyOrder("past", "pending");
        assertThat(queue.puts()).extracting(Job::status).containsOnly(JobStatus.QUEUED);
        assertThat(store.find(JobId.of("past")).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(store.find(JobId.of("future")).orElseThrow().status()).isEqualTo(JobStatus.SCHEDULED);
        assertThat(publisher.publishDue()).isZero();
    }

    @Test
    void aFailedPutGoesBackToTheSourceAndIsPublishedLater() {
        TestStore store = new TestStore();
        store.update(Job.builder().workflowName("w").id("j").status(JobStatus.SCHEDULED).build());
        TestQueue queue = new TestQueue();
        StoreSource source = new StoreSource(store);
        ErgatePublisher publisher = ErgatePublisher.builder(source, queue).build();
        queue.failPuts.set(1);
        assertThat(publisher.publishDue()).isZero();
        assertThat(source.failures).singleElement().asString().contains("j: test queue: put failed");
        assertThat(store.find(JobId.of("j")).orElseThrow().status()).isEqualTo(JobStatus.SCHEDULED);
        assertThat(publisher.publishDue()).isEqualTo(1);
        assertThat(queue.puts()).hasSize(1);
    }

    @Test
    void aJobWhosePublishedReportFailedIsNotPutTwice() {
        TestStore store = new TestStore();
        store.update(Job.builder().workflowName("w").id("once").status(JobStatus.SCHEDULED).build());
        TestQueue queue = new TestQueue();
        java.util.concurrent.atomic.AtomicBoolean reportFails = new java.util.concurrent.atomic.AtomicBoolean(true);
        StoreSource source = new StoreSource(store) {
            @Override
            public synchronized void published(Job queued) {
                if (reportFails.getAndSet(false)) {
                    claimed.remove(queued.id()); // as if its claim timed out: the source offers it again
                    throw new dev.ergate.spi.ErgateBackendException("test source: connection reset", null, true);
                }
                super.published(queued);
            }
        };
        ErgatePublisher publisher = ErgatePublisher.builder(source, queue).build();

        assertThatThrownBy(publisher::publishDue).isInstanceOf(dev.ergate.spi.ErgateBackendException.class);
        assertThat(publisher.publishDue()).isZero();

        assertThat(queue.puts()).as("messages of the job").hasSize(1);
        assertThat(store.find(JobId.of("once")).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void anAtomicPublishOfferedByTheSourceReplacesPutAndReport() {
        TestStore store = new TestStore();
        for (String id : List.of("ok", "lost", "broken")) {
            store.update(Job.builder().workflowName("w").id(id).status(JobStatus.PENDING).build());
        }
        TestQueue queue = new TestQueue();
        List<String> atomic = new ArrayList<>();
        StoreSource source = new StoreSource(store) {
            @Override
            public java.util.Optional<dev.ergate.spi.AtomicPublish> atomicPublish(dev.ergate.spi.JobQueue on) {
                assertThat(on).isSameAs(queue);
                return java.util.Optional.of(queued -> {
                    String id = queued.id().value();
                    atomic.add(id);
                    if (id.equals("broken")) {
                        throw new dev.ergate.spi.ErgateBackendException("test source: commit failed", null, true);
                    }
                    if (id.equals("lost")) {
                        return false; // the claim ran out and another publisher has the job: nothing put
                    }
                    queue.put(queued);
                    published(queued);
                    return true;
                });
            }

            @Override
            public synchronized void published(Job queued) {
                assertThat(atomic).as("reported only through the atomic publish").contains(queued.id().value());
                super.published(queued);
            }
        };
        ErgatePublisher publisher = ErgatePublisher.builder(source, queue).build();

        assertThat(publisher.publishDue()).as("jobs put").isEqualTo(1);

        assertThat(atomic).containsExactlyInAnyOrder("ok", "lost", "broken");
        assertThat(queue.puts()).extracting(j -> j.id().value()).containsExactly("ok");
        assertThat(queue.puts().get(0).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(source.failures).as("a failed atomic publish is handed back").singleElement().asString()
                .startsWith("broken: ");
        assertThat(store.find(JobId.of("lost")).orElseThrow().status()).isEqualTo(JobStatus.PENDING);
    }

    @Test
    void aLifespanWrapsThePublishersRun() throws Exception {
        List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        ErgatePublisher publisher = ErgatePublisher.builder(new StoreSource(new TestStore()), new TestQueue())
                .options(PublisherOptions.builder().pollInterval(Duration.ofMillis(20)).handleSignals(false).build())
                .lifespan(p -> {
                    log.add("start");
                    return () -> log.add("close");
                })
                .build();
        Thread runner = new Thread(publisher::run);
        runner.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> log.contains("start"));
        assertThat(log).containsExactly("start");

        publisher.close();
        runner.join(10_000);

        assertThat(runner.isAlive()).isFalse();
        assertThat(log).containsExactly("start", "close");
    }

    @Test
    void pendingStyleWorkersAndAPublisherRunJobsToTheEnd() {
        TestStore store = new TestStore();
        TestQueue queue = new TestQueue();
        ErgatePublisher publisher = ErgatePublisher.builder(new StoreSource(store), queue).options(PublisherOptions.builder().pollInterval(Duration.ofMillis(50)).build()).build();
        Ergate app = Ergate.builder(queue, store)
                .options(ErgateOptions.builder().afterStepStatus(JobStatus.PENDING).concurrency(2)
                        .pollTimeout(Duration.ofMillis(50)).handleSignals(false).build())
                .build()
                .registerWorkflow(Workflow.builder("calc")
                        .step("add", Integer.class, (n, ctx) -> n + 1)
                        .step("mul", Integer.class, (n, ctx) -> n * 10)
                        .step("show", Integer.class, (n, ctx) -> "=" + n)
                        .build());
        for (int i = 0; i < 20; i++) {
            // submitted as SCHEDULED in the store: the publisher queues them
            store.update(Job.builder().workflowName("calc").id(JobId.of(i)).status(JobStatus.SCHEDULED)
                    .initialInputValue(IntNode.valueOf(i)).build());
        }
        publisher.start();
        app.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> store.count(JobStatus.COMPLETED) == 20);
            assertThat(store.find(JobId.of(7)).orElseThrow().lastReturnValue().textValue()).isEqualTo("=80");
            // QUEUED is recorded between PENDING and RUNNING unless the worker was quicker than the
            // publisher's report (then the conditional update leaves the newer state alone)
            assertThat(store.updatesOf(JobId.of(7))).extracting(Job::status).containsSubsequence(
                    JobStatus.RUNNING, JobStatus.PENDING, JobStatus.RUNNING, JobStatus.PENDING,
                    JobStatus.RUNNING, JobStatus.COMPLETED);
            assertThat(store.updatesOf(JobId.of(7))).extracting(Job::status).containsOnlyOnce(JobStatus.COMPLETED);
        } finally {
            app.close();
            publisher.close();
        }
    }

    @Test
    void aFailingSourceDoesNotKillTheLoop() {
        TestQueue queue = new TestQueue();
        int[] calls = {0};
        JobSource flaky = new JobSource() {
            @Override
            public synchronized List<Job> claimDue(Instant now, int max) {
                calls[0]++;
                if (calls[0] <= 2) {
                    throw new dev.ergate.spi.ErgateBackendException("source down", null, true);
                }
                return calls[0] == 3 ? List.of(Job.builder().workflowName("w").id("late").status(JobStatus.SCHEDULED).build())
                        : List.of();
            }

            @Override
            public void published(Job queued) {
            }

            @Override
            public void publishFailed(Job job, Exception failure) {
            }
        };
        ErgatePublisher publisher = ErgatePublisher.builder(flaky, queue).options(PublisherOptions.builder()
                .pollInterval(Duration.ofMillis(20)).retryDelays(Duration.ofMillis(10), Duration.ofMillis(50)).build()).build();
        publisher.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> queue.puts().size() == 1);
        } finally {
            publisher.close();
        }
    }
}
