package dev.ergate.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.RuntimeFields;
import dev.ergate.runtime.support.CapturedLogs;
import dev.ergate.runtime.support.TestQueue;
import dev.ergate.runtime.support.TestStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The hooks observability stands on: interceptors, MDC, timings, listener events and their order. */
class HooksTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final TestQueue queue = new TestQueue();
    private final TestStore store = new TestStore();
    private final Recorder recorder = new Recorder();
    private @Nullable Ergate app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        CapturedLogs.stop();
    }

    private static ErgateOptions.Builder fast() {
        return ErgateOptions.builder().pollTimeout(Duration.ofMillis(50)).handleSignals(false)
                .backendRetryDelays(Duration.ofMillis(5), Duration.ofMillis(50));
    }

    private Ergate.Builder worker(ErgateOptions options) {
        return Ergate.builder(queue, store).options(options).listener(recorder);
    }

    /** Writes one line per event, and what the store held when a step's end was told. */
    final class Recorder implements ErgateListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void stepStarted(Job running) {
            events.add("started " + running.stepName() + ", stored " + store.find(running.id()).map(Job::status).orElse(null));
        }

        @Override
        public void stepFinished(StepResult result) {
            Job state = result.state().orElseThrow();
            boolean stored = store.find(state.id()).map(state::equals).orElse(false);
            long acks = queue.events().stream().filter(e -> e.equals("ack " + state.id().value())).count();
            events.add("finished " + result.outcome() + ", stored " + stored + ", acks " + acks);
        }

        @Override
        public void jobFailed(Job failed, Throwable error) {
            events.add("failed, stored " + store.find(failed.id()).map(Job::status).orElse(null));
        }

        @Override
        public void workerStarted() {
            events.add("workerStarted");
        }

        @Override
        public void workerStopped() {
            events.add("workerStopped");
        }

        @Override
        public void backendRetried(String operation, int attempt, Throwable error) {
            events.add("retried " + operation + " " + attempt);
        }

        @Override
        public void backendGaveUp(String operation, Throwable error) {
            events.add("gaveUp " + operation);
        }

        @Override
        public void leaseLost(Job job) {
            events.add("leaseLost " + job.id().value());
        }

        @Override
        public void deliveryDeadLettered(@Nullable Job job, String reason) {
            events.add("deadLettered " + (job == null ? null : job.id().value()));
        }

        @Override
        public void jobReleasedOnShutdown(Job job) {
            events.add("releasedOnShutdown " + job.id().value());
        }

        boolean has(String event) {
            return events.contains(event);
        }
    }

    // ------------------------------------------------------------------ listener order

    @Test
    void stepStartsAndEndsAreToldAfterTheStateIsWrittenAndTheDeliverySettled() {
        app = worker(fast().concurrency(1).build()).build().registerWorkflow(Workflow.builder("w")
                .step("a", JsonNode.class, (in, ctx) -> 1)
                .step("b", JsonNode.class, (in, ctx) -> {
                    throw new IllegalStateException("b fails");
                })
                .build());
        queue.put(Job.builder().workflowName("w").id("j").build());
        app.start();
        await().atMost(DEADLINE).until(() -> recorder.events.stream().anyMatch(e -> e.startsWith("failed")));
        assertThat(recorder.events).containsSubsequence("workerStarted",
                "started a, stored RUNNING", "finished CONTINUED, stored true, acks 1",
                "started b, stored RUNNING", "finished FAILED, stored true, acks 2", "failed, stored FAILED");
    }

    // ------------------------------------------------------------------ worker events

    @Test
    void theWorkerTellsItsStartAndStop() {
        app = worker(fast().concurrency(1).build()).build();
        app.start();
        assertThat(recorder.events).containsExactly("workerStarted");
        app.close();
        assertThat(recorder.events).containsExactly("workerStarted", "workerStopped");
    }

    @Test
    void backendRetriesAndGiveUpsAreTold() {
        store.failUpdates.set(1);
        app = worker(fast().concurrency(1).build()).build().registerWorkflow(oneStep());
        queue.put(Job.builder().workflowName("one").id("r").build());
        app.start();
        await().atMost(DEADLINE).until(() -> store.count(JobStatus.COMPLETED) == 1);
        assertThat(recorder.events).contains("retried start of a step 1").noneMatch(e -> e.startsWith("gaveUp"));

        store.failUpdatesPermanently.set(1);
        queue.put(Job.builder().workflowName("one").id("g").build());
        await().atMost(DEADLINE).until(() -> store.count(JobStatus.COMPLETED) == 2);
        assertThat(recorder.events).contains("gaveUp start of a step");
    }

    @Test
    void aLostLeaseIsTold() {
        TestQueue shortLeases = new TestQueue(Clock.systemUTC(), Duration.ofMillis(200));
        shortLeases.failExtends = true;
        CountDownLatch lost = new CountDownLatch(1);
        app = Ergate.builder(shortLeases, store).options(fast().concurrency(1).build())
                .listener(new ErgateListener() {
                    @Override
                    public void leaseLost(Job job) {
                        recorder.events.add("leaseLost " + job.id().value());
                        lost.countDown();
                    }
                })
                .build().registerWorkflow(Workflow.builder("slow").step("a", JsonNode.class, (in, ctx) -> {
                    // the step runs until the keeper's first extension (at half the lease) has failed
                    return lost.await(60, TimeUnit.SECONDS);
                }).build());
        shortLeases.put(Job.builder().workflowName("slow").id("l").build());
        app.start();
        await().atMost(DEADLINE).until(() -> recorder.has("leaseLost l"));
    }

    @Test
    void aPoisonDeliveryIsToldDeadLettered() {
        app = worker(fast().concurrency(1).maxDeliveries(2).build()).build().registerWorkflow(oneStep());
        Job poison = Job.builder().workflowName("one").id("p").build();
        store.update(poison.toBuilder().status(JobStatus.RUNNING)
                .extraField(dev.ergate.RuntimeFields.STARTS, com.fasterxml.jackson.databind.node.IntNode.valueOf(2)).build());
        queue.putDelivered(poison, 2);
        app.start();
        await().atMost(DEADLINE).until(() -> recorder.has("deadLettered p"));
        assertThat(queue.deadLetters()).hasSize(1);
        assertThat(recorder.events).contains("failed, stored FAILED");
    }

    @Test
    void aJobCutOffAtTheStopIsToldReleased() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        app = worker(fast().concurrency(1).drainTimeout(Duration.ofMillis(100)).build()).build()
                .registerWorkflow(Workflow.builder("stuck").step("a", JsonNode.class, (in, ctx) -> {
                    started.countDown();
                    return new CountDownLatch(1).await(60, TimeUnit.SECONDS);
                }).build());
        queue.put(Job.builder().workflowName("stuck").id("cut").build());
        app.start();
        assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
        app.close();
        assertThat(recorder.events).contains("releasedOnShutdown cut").endsWith("workerStopped");
    }

    @Test
    void busyThreadsCountsTheStepsRunningNow() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        app = worker(fast().concurrency(2).build()).build()
                .registerWorkflow(Workflow.builder("held").step("a", JsonNode.class, (in, ctx) -> {
                    started.countDown();
                    return release.await(60, TimeUnit.SECONDS);
                }).build());
        assertThat(app.concurrency()).isEqualTo(2);
        assertThat(app.busyThreads()).isZero();
        app.start();
        queue.put(Job.builder().workflowName("held").id("h").build());
        assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(app.busyThreads()).isEqualTo(1);
        release.countDown();
        await().atMost(DEADLINE).until(() -> app.busyThreads() == 0);
        assertThat(store.find(JobId.of("h")).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
    }

    // ------------------------------------------------------------------ interceptors

    @Test
    void interceptorsNestFirstOutermostAroundTheStepOnTheThreadThatRunsIt() {
        List<String> calls = new CopyOnWriteArrayList<>();
        app = worker(fast().concurrency(1).build())
                .interceptor(named("outer", calls))
                .interceptor(named("inner", calls))
                .build()
                .registerWorkflow(Workflow.builder("t")
                        .step("plain", JsonNode.class, (in, ctx) -> {
                            calls.add("plain on " + Thread.currentThread().getName().replaceAll("\\d+$", "N"));
                            return 1;
                        })
                        .step("timed", JsonNode.class, (in, ctx) -> {
                            calls.add("timed on " + Thread.currentThread().getName().replaceAll("\\d+$", "N"));
                            return 2;
                        }, StepOptions.builder().timeout(Duration.ofSeconds(30)).build())
                        .build());
        queue.put(Job.builder().workflowName("t").id("i").build());
        app.start();
        await().atMost(DEADLINE).until(() -> store.count(JobStatus.COMPLETED) == 1);
        assertThat(calls).containsExactly(
                "outer> t.plain#1 job i on ergate-worker-N", "inner> t.plain#1 job i on ergate-worker-N",
                "plain on ergate-worker-N", "<inner", "<outer",
                "outer> t.timed#1 job i on ergate-timed-step-N", "inner> t.timed#1 job i on ergate-timed-step-N",
                "timed on ergate-timed-step-N", "<inner", "<outer");
    }

    private static StepInterceptor named(String name, List<String> calls) {
        return (invocation, proceed) -> {
            calls.add(name + "> " + invocation.workflow() + "." + invocation.step() + "#" + invocation.attempt()
                    + " job " + invocation.jobId() + " on " + Thread.currentThread().getName().replaceAll("\\d+$", "N"));
            try {
                return proceed.proceed();
            } finally {
                calls.add("<" + name);
            }
        };
    }

    // ------------------------------------------------------------------ MDC

    @Test
    void theJobsMdcKeysAreSetAroundTheStepAndTheWorkersLogLinesAndClearedAfter() {
        CapturedLogs.start();
        app = worker(fast().concurrency(1).build()).build()
                .registerWorkflow(Workflow.builder("m")
                        .step("first", JsonNode.class, (in, ctx) -> {
                            if (ctx.attempt() == 1) {
                                throw new IllegalStateException("try again");
                            }
                            LoggerFactory.getLogger("user.code").info("user line in first");
                            return 1;
                        }, StepOptions.builder().retryPolicy(RetryPolicy.builder().maxAttempts(2)
                                .initialDelay(Duration.ZERO).build()).build())
                        .step("timed", JsonNode.class, (in, ctx) -> {
                            LoggerFactory.getLogger("user.code").info("user line in timed");
                            return 2;
                        }, StepOptions.builder().timeout(Duration.ofSeconds(30)).build())
                        .build());
        queue.put(Job.builder().workflowName("m").id("mdc-1").build());
        app.start();
        await().atMost(DEADLINE).until(() -> store.count(JobStatus.COMPLETED) == 1);
        queue.failTakes.set(1);
        await().atMost(DEADLINE).until(() -> lineContaining("Taking from the queue failed") != null);

        CapturedLogs.Line retry = lineContaining("retrying in");
        assertThat(retry.logger()).isEqualTo(JobRunner.class.getName());
        assertThat(retry.thread()).startsWith("ergate-worker-");
        assertThat(retry.mdc()).containsExactlyInAnyOrderEntriesOf(Map.of("ergate.job_id", "mdc-1",
                "ergate.workflow", "m", "ergate.step", "first", "ergate.attempt", "1"));
        assertThat(lineContaining("user line in first").mdc()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "ergate.job_id", "mdc-1", "ergate.workflow", "m", "ergate.step", "first", "ergate.attempt", "2"));
        CapturedLogs.Line timed = lineContaining("user line in timed");
        assertThat(timed.thread()).startsWith("ergate-timed-step-");
        assertThat(timed.mdc()).containsExactlyInAnyOrderEntriesOf(Map.of("ergate.job_id", "mdc-1",
                "ergate.workflow", "m", "ergate.step", "timed", "ergate.attempt", "1"));
        CapturedLogs.Line after = lineContaining("Taking from the queue failed");
        assertThat(after.thread()).isEqualTo(retry.thread());
        assertThat(after.mdc()).doesNotContainKeys("ergate.job_id", "ergate.workflow", "ergate.step", "ergate.attempt");
    }

    @Test
    void withMdcOffNoKeyIsSet() {
        CapturedLogs.start();
        app = worker(fast().concurrency(1).build()).mdc(false).build()
                .registerWorkflow(Workflow.builder("quiet").step("a", JsonNode.class, (in, ctx) -> {
                    LoggerFactory.getLogger("user.code").info("user line without keys");
                    return 1;
                }, StepOptions.builder().timeout(Duration.ofSeconds(30)).build()).build());
        queue.put(Job.builder().workflowName("quiet").id("q").build());
        app.start();
        await().atMost(DEADLINE).until(() -> store.count(JobStatus.COMPLETED) == 1);
        assertThat(lineContaining("user line without keys").mdc()).doesNotContainKeys("ergate.job_id", "ergate.step");
    }

    @Test
    void aStepRunInTheCallersThreadRestoresTheCallersMdc() {
        JobRunner runner = JobRunner.builder().build();
        List<String> seen = new CopyOnWriteArrayList<>();
        runner.register(Workflow.builder("r").step("a", JsonNode.class, (in, ctx) -> {
            seen.add(MDC.get("ergate.job_id") + " " + MDC.get("ergate.step"));
            return 1;
        }).build());
        MDC.put("ergate.job_id", "outer");
        try {
            runner.runStep(Job.builder().workflowName("r").id("inner").build());
            assertThat(seen).containsExactly("inner a");
            assertThat(MDC.get("ergate.job_id")).isEqualTo("outer");
            assertThat(MDC.get("ergate.step")).isNull();
        } finally {
            MDC.clear();
        }
    }

    private static CapturedLogs.@Nullable Line lineContaining(String text) {
        return CapturedLogs.lines().stream().filter(l -> l.message().contains(text)).findFirst().orElse(null);
    }

    // ------------------------------------------------------------------ timings

    @Test
    void aResultCarriesHowLongTheStepRanAndWaited() {
        Instant now = Instant.parse("2026-01-01T10:00:00Z");
        JobRunner runner = JobRunner.builder().clock(Clock.fixed(now, ZoneOffset.UTC)).build();
        runner.register(Workflow.builder("timed")
                .step("spin", JsonNode.class, (in, ctx) -> {
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30);
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                    return 1;
                })
                .step("last", JsonNode.class, (in, ctx) -> 2)
                .build());
        Job queuedFiveSecondsAgo = Job.builder().workflowName("timed").id("t")
                .extraField(RuntimeFields.QUEUED_AT, LongNode.valueOf(now.minusSeconds(5).toEpochMilli())).build();

        StepResult first = runner.runStep(queuedFiveSecondsAgo);
        assertThat(first.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(30));
        assertThat(first.queueWait()).isEqualTo(Duration.ofSeconds(5));
        Job next = first.next().orElseThrow();
        assertThat(next.extraField(RuntimeFields.QUEUED_AT)).isEqualTo(LongNode.valueOf(now.toEpochMilli()));

        // a start time after the queueing is when the wait starts
        Job dueTwoSecondsAgo = queuedFiveSecondsAgo.toBuilder().requestedStartTime(now.minusSeconds(2)).build();
        assertThat(runner.runStep(dueTwoSecondsAgo).queueWait()).isEqualTo(Duration.ofSeconds(2));

        StepResult last = runner.runStep(next);
        assertThat(last.queueWait()).isZero();
        assertThat(last.state().orElseThrow().extraFields()).doesNotContainKey(RuntimeFields.QUEUED_AT);
        assertThat(runner.runStep(Job.builder().workflowName("timed").id("u")
                .extraField(RuntimeFields.CURRENT_STEP, IntNode.valueOf(1)).build()).queueWait()).isZero();
    }

    private static Workflow oneStep() {
        return Workflow.builder("one").step("only", JsonNode.class, (in, ctx) -> 1).build();
    }
}
