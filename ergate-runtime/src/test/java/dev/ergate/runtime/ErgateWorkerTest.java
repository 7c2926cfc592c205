package dev.ergate.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.support.TestQueue;
import dev.ergate.runtime.support.TestStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ErgateWorkerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final TestQueue queue = new TestQueue();
    private final TestStore store = new TestStore();
    private Ergate app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static ErgateOptions.Builder fast() {
        return ErgateOptions.builder().pollTimeout(Duration.ofMillis(50)).handleSignals(false)
                .backendRetryDelays(Duration.ofMillis(5), Duration.ofMillis(50));
    }

    private static Workflow threeSteps() {
        return Workflow.builder("calc")
                .step("add", Integer.class, (n, ctx) -> n + 1)
                .step("mul", Integer.class, (n, ctx) -> n * 10)
                .step("show", Integer.class, (n, ctx) -> "=" + n)
                .build();
    }

    @Test
    void runsManyJobsToTheEndOnSeveralThreads() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        Workflow workflow = Workflow.builder("calc")
                .step("add", Integer.class, (n, ctx) -> {
                    threads.add(Thread.currentThread().getName());
                    return n + 1;
                })
                .step("mul", Integer.class, (n, ctx) -> n * 10)
                .step("show", Integer.class, (n, ctx) -> "=" + n)
                .build();
        app = Ergate.builder(queue, store).options(fast().concurrency(4).build()).build().registerWorkflow(workflow);
        int jobs = 200;
        for (int i = 0; i < jobs; i++) {
            queue.put(Job.builder().workflowName("calc").id(JobId.of(i)).initialInputValue(IntNode.valueOf(i)).build());
        }
        app.start();
        assertThat(queue.capacityChecked()).isEqualTo(4);
        await().atMost(DEADLINE).until(() -> store.count(JobStatus.COMPLETED) == jobs);
        for (int i = 0; i < jobs; i++) {
            Job done = store.find(JobId.of(i)).orElseThrow();
            assertThat(done.lastReturnValue().textValue()).isEqualTo("=" + (i + 1) * 10);
            assertThat(store.updatesOf(JobId.of(i))).extracting(Job::status).containsExactly(
                    JobStatus.RUNNING, JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.QUEUED, JobStatus.RUNNING,
                    JobStatus.COMPLETED);
        }
        assertThat(threads.size()).isGreaterThan(1);
        await().atMost(DEADLINE).until(() -> queue.size() == 0);
    }

    @Test
    void jobsWithoutIdGetOneBeforeTheFirstUpdate() {
        app = Ergate.builder(queue, store).options(fast().concurrency(1).build()).build().registerWorkflow(threeSteps());
        queue.put(Job.builder().workflowName("calc").initialInputValue(IntNode.valueOf(1)).build());
        app.start();
        await().atMost(DEADLINE).until(() -> store.count(JobStatus.COMPLETED) == 1);
        assertThat(store.updates()).allSatisfy(job -> assertThat(job.id()).isNotNull());
        assertThat(store.updates()).extracting(Job::id).containsOnly(store.updates().get(0).id());
    }

    @Test
    void unknownWorkflowFailsThatJobAndTheWorkerGoesOn() {
        // no grace: fail at once (the default gives it back for a while, see DeliveryEdgesTest)
        app = Ergate.builder(queue, store).options(fast().concurrency(1).unknownWorkGrace(Duration.ZERO).build()).build()
                .registerWorkflow(threeSteps());
        queue.put(Job.builder().workflowName("nobody-knows").id("lost").build());
        queue.put(Job.builder().workflowName("calc").id("fine").initialInputValue(IntNode.valueOf(1)).build());
        app.start();
        await().atMost(DEADLINE).until(() -> store.count(JobStatus.COMPLETED) == 1);
        Job lost = store.find(JobId.of("lost")).orElseThrow();
        assertThat(lost.status()).isEqualTo(JobStatus.FAILED);
        assertThat(lost.exceptionTraceback()).contains("no workflow named 'nobody-knows'");
        await().atMost(DEADLINE).until(() -> queue.size() == 0);
    }

    @Test
    void finalJobsAreAcknowledgedAndSkipped() {
        AtomicInteger runs = new AtomicInteger();
        app = Ergate.builder(queue, store).options(fast().concurrency(1).build()).build()
                .registerWorkflow(Workflow.builder("w").step("a", JsonNode.class, (n, ctx) -> runs.incrementAndGet()).build());
        queue.put(Job.builder().workflowName("w").id("done").status(JobStatus.COMPLETED).build());
        app.start();
        await().atMost(DEADLINE).until(() -> queue.events().contains("ack done"));
        assertThat(runs).hasValue(0);
        assertThat(store.updates()).isEmpty();
    }

    @Test
    void aJobCancelledInTheStoreBecomesCancelledInsteadOfRunning() {
        AtomicInteger runs = new AtomicInteger();
        app = Ergate.builder(queue, store).options(fast().concurrency(1).build()).build()
                .registerWorkflow(Workflow.builder("w")
                        .step("a", JsonNode.class, (n, ctx) -> runs.incrementAndGet())
                        .step("b", JsonNode.class, (n, ctx) -> runs.incrementAndGet()).build());
        Job job = Job.builder().workflowName("w").id("c1").build();
        store.update(job.toBuilder().status(JobStatus.QUEUED).build());
        assertThat(store.requestCancel(JobId.of("c1"))).isTrue();
        queue.put(job);
        app.start();
        await().atMost(DEADLINE).until(() -> store.find(JobId.of("c1")).orElseThrow().status() == JobStatus.CANCELLED);
        assertThat(runs).hasValue(0);
        await().atMost(DEADLINE).until(() -> queue.size() == 0);
    }

    @Test
    void aStaleDeliveryOfAJobThatEndedInTheStoreIsAcknowledgedWithoutRunning() {
        AtomicInteger runs = new AtomicInteger();
        app = Ergate.builder(queue, store).options(fast().concurrency(1).build()).build()
                .registerWorkflow(Workflow.builder("w")
                        .step("a", JsonNode.class, (n, ctx) -> runs.incrementAndGet())
                        .step("b", JsonNode.class, (n, ctx) -> runs.incrementAndGet()).build());
        // another worker already finished the job; this message is a redelivery of its last step
        Job completed = Job.builder().workflowName("w").id("ended").status(JobStatus.COMPLETED).stepsCompleted(2).build();
        store.update(completed);
        queue.put(Job.builder().workflowName("w").id("ended").stepsCompleted(1).build());
        app.start();
        await().atMost(DEADLINE).until(() -> queue.events().contains("ack ended"));
        assertThat(runs).hasValue(0);
        assertThat(store.find(JobId.of("ended"))).contains(completed);
        assertThat(store.updatesOf(JobId.of("ended"))).containsExactly(completed);
    }

    @Test
    void stoppingGivesBackWhatTheQueueHeldAheadAfterTheLastStep() {
        app = Ergate.builder(queue, store).options(fast().concurrency(2).build()).build().registerWorkflow(threeSteps());
        queue.put(Job.builder().workflowName("calc").id("one").initialInputValue(IntNode.valueOf(1)).build());
        app.start();
        await().atMost(DEADLINE).until(() -> store.count(JobStatus.COMPLETED) == 1);

        app.close();

        List<String> events = queue.events();
        assertThat(events).containsOnlyOnce("releaseHeld");
        assertThat(events.get(events.size() - 1)).as("the last call to the queue").isEqualTo("releaseHeld");
    }

    @Test
    void aPoisonMessageIsFailedAndDeadLettered() {
        app = Ergate.builder(queue, store).options(fast().concurrency(1).maxDeliveries(3).build()).build()
                .registerWorkflow(threeSteps());
        Job poison = Job.builder().workflowName("calc").id("poison").build();
        // three deliveries started its first step (and their workers died): the store recorded the starts
        store.update(poison.toBuilder().status(JobStatus.RUNNING).stepName("double")
                .extraField(dev.ergate.RuntimeFields.STARTS, IntNode.valueOf(3)).build());
        queue.putDelivered(poison, 3);
        app.start();
        await().atMost(DEADLINE).until(() -> queue.deadLetters().size() == 1);
        assertThat(queue.deadLetters().get(0)).contains("poison", "started 4 times", "maxDeliveries");
        Job failed = store.find(JobId.of("poison")).orElseThrow();
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.exceptionTraceback()).contains("started 4 times");
    }

    @Test
    void transientBackendFailuresAreRetriedAndTheWorkerSurvives() {
        app = Ergate.builder(queue, store).options(fast().concurrency(2).build()).build().registerWorkflow(threeSteps());
        for (int i = 0; i < 10; i++) {
            queue.put(Job.builder().workflowName("calc").id(JobId.of(i)).initialInputValue(IntNode.valueOf(i)).build());
        }
        queue.failTakes.set(3);
        queue.failPuts.set(2);
        queue.failAcks.set(2);
        store.failUpdates.set(3);
        app.start();
        await().atMost(DEADLINE).until(() -> store.count(JobStatus.COMPLETED) == 10);
        assertThat(queue.failTakes).hasValue(0);
        assertThat(queue.failPuts).hasValue(0);
        assertThat(queue.failAcks).hasValue(0);
        assertThat(store.failUpdates).hasValue(0);
        assertThat(app.isRunning()).isTrue();
    }

    @Test
    void aStoreThatKeepsFailingGivesTheDeliveryBackInsteadOfLosingIt() {
        store.failUpdatesPermanently.set(2);
        app = Ergate.builder(queue, store).options(fast().concurrency(1).build()).build().registerWorkflow(threeSteps());
        queue.put(Job.builder().workflowName("calc").id("again").initialInputValue(IntNode.valueOf(1)).build());
        app.start();
        await().atMost(DEADLINE).until(() -> store.find(JobId.of("again")).map(Job::status).orElse(null)
                == JobStatus.COMPLETED);
        assertThat(queue.events()).contains("release again");
    }

    @Test
    void anEmptyQueueDoesNotSpin() {
        app = Ergate.builder(queue, store).options(fast().concurrency(2).pollTimeout(Duration.ofMillis(200)).build())
                .build().registerWorkflow(threeSteps());
        long start = System.nanoTime();
        app.start();
        await().atMost(DEADLINE).until(() -> queue.takeCalls.get() >= 10);
        // two threads blocking 200 ms per empty take need about a second for 10 takes; a hot loop
        // would make them in microseconds
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(600));
    }

    @Test
    void withoutAtomicFinishTheOrderIsUpdatePutAck() {
        TestStore noting = new TestStore() {
            @Override
            public synchronized void update(Job job) {
                super.update(job);
                queue.note("update " + job.status());
            }
        };
        app = Ergate.builder(queue, noting).options(fast().concurrency(1).build()).build().registerWorkflow(threeSteps());
        queue.put(Job.builder().workflowName("calc").id("o").initialInputValue(IntNode.valueOf(1)).build());
        app.start();
        await().atMost(DEADLINE).until(() -> noting.count(JobStatus.COMPLETED) == 1);
        await().atMost(DEADLINE).until(() -> queue.size() == 0);
        assertThat(queue.events()).containsExactly("put QUEUED",
                "update RUNNING", "update QUEUED", "put QUEUED", "ack o",
                "update RUNNING", "update QUEUED", "put QUEUED", "ack o",
                "update RUNNING", "update COMPLETED", "ack o");
    }

    @Test
    void theQueuesAtomicFinishIsUsedWhenOffered() {
        List<String> finishes = new java.util.concurrent.CopyOnWriteArrayList<>();
        TestQueue atomicQueue = new TestQueue() {
            @Override
            public java.util.Optional<dev.ergate.spi.AtomicStepFinish> atomicStepFinish(dev.ergate.spi.StateStore with) {
                return java.util.Optional.of((delivery, state, next) -> {
                    with.update(state);
                    if (next != null) {
                        put(next);
                    }
                    delivery.ack();
                    finishes.add(state.status() + (next == null ? "" : " + next"));
                });
            }
        };
        app = Ergate.builder(atomicQueue, store).options(fast().concurrency(1).build()).build().registerWorkflow(threeSteps());
        atomicQueue.put(Job.builder().workflowName("calc").id("a").initialInputValue(IntNode.valueOf(1)).build());
        app.start();
        await().atMost(DEADLINE).until(() -> store.count(JobStatus.COMPLETED) == 1);
        assertThat(finishes).containsExactly("QUEUED + next", "QUEUED + next", "COMPLETED");
    }

    @Test
    void aJobTooLargeForTheQueueEndsFailedInsteadOfLooping() {
        queue.maxJobChars = 2_000;
        app = Ergate.builder(queue, store).options(fast().concurrency(1).build()).build()
                .registerWorkflow(Workflow.builder("big")
                        .step("grow", JsonNode.class, (in, ctx) -> "x".repeat(5_000))
                        .step("never", JsonNode.class, (in, ctx) -> "never")
                        .build());
        queue.put(Job.builder().workflowName("big").id("big").build());
        app.start();
        await().atMost(DEADLINE).until(() -> store.find(JobId.of("big")).map(Job::status).orElse(null) == JobStatus.FAILED);
        assertThat(store.find(JobId.of("big")).orElseThrow().exceptionTraceback()).contains("JobTooLargeException",
                "over the queue's limit of 2000 bytes");
        await().atMost(DEADLINE).until(() -> queue.size() == 0);
    }

    @Test
    void closeLetsTheRunningStepFinishAndWritesItsState() throws Exception {
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        app = Ergate.builder(queue, store).options(fast().concurrency(1).drainTimeout(Duration.ofSeconds(30)).build())
                .build().registerWorkflow(Workflow.builder("slow")
                        .step("a", JsonNode.class, (n, ctx) -> {
                            started.countDown();
                            release.await();
                            return "finished";
                        })
                        .step("b", JsonNode.class, (n, ctx) -> "b")
                        .build());
        queue.put(Job.builder().workflowName("slow").id("s").build());
        app.start();
        assertThat(started.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Thread closer = new Thread(app::close);
        closer.start();
        await().atMost(DEADLINE).until(() -> !app.isRunning());
        release.countDown();
        closer.join(60_000);
        assertThat(closer.isAlive()).isFalse();
        List<Job> updates = store.updatesOf(JobId.of("s"));
        assertThat(updates).extracting(Job::status).containsExactly(JobStatus.RUNNING, JobStatus.QUEUED);
        assertThat(updates.get(1).lastReturnValue().textValue()).isEqualTo("finished");
        // the next step was put, but not run: the worker stopped taking
        assertThat(queue.waiting()).extracting(Job::status).containsExactly(JobStatus.QUEUED);
    }

    @Test
    void aStepCutOffByTheDrainTimeoutIsReleasedNotLost() throws Exception {
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        app = Ergate.builder(queue, store).options(fast().concurrency(1).drainTimeout(Duration.ofMillis(200)).build())
                .build().registerWorkflow(Workflow.builder("stuck")
                        .step("a", JsonNode.class, (n, ctx) -> {
                            started.countDown();
                            new java.util.concurrent.CountDownLatch(1).await();
                            return "never";
                        })
                        .build());
        queue.put(Job.builder().workflowName("stuck").id("cut").build());
        app.start();
        assertThat(started.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        app.close();
        assertThat(queue.events()).contains("release cut");
        assertThat(queue.waiting()).extracting(j -> j.id().value()).containsExactly("cut");
        // only the RUNNING state was written; the cut-off result was dropped
        assertThat(store.updatesOf(JobId.of("cut"))).extracting(Job::status).containsExactly(JobStatus.RUNNING);
    }
}
