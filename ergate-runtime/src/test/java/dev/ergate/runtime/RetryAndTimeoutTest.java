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
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryAndTimeoutTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private Ergate app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static ErgateOptions.Builder fast() {
        return ErgateOptions.builder().pollTimeout(Duration.ofMillis(50)).handleSignals(false).concurrency(2);
    }

    private static RetryPolicy quick(int attempts, Class<? extends Throwable> on) {
        return RetryPolicy.builder().maxAttempts(attempts).initialDelay(Duration.ofMillis(50))
                .maxDelay(Duration.ofMillis(200)).retryOn(on).build();
    }

    @Test
    void aFlakyStepIsRetriedWithItsAttemptCountInTheJobAndThenSucceeds() {
        TestQueue queue = new TestQueue();
        TestStore store = new TestStore();
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        app = Ergate.builder(queue, store).options(fast().build()).build()
                .registerWorkflow(Workflow.builder("flaky")
                        .step("a", JsonNode.class, (in, ctx) -> "first")
                        .step("b", JsonNode.class, (in, ctx) -> {
                            attempts.add(ctx.attempt());
                            if (ctx.attempt() < 3) {
                                throw new IOException("network blip " + ctx.attempt());
                            }
                            return "ok after " + ctx.attempt();
                        }, StepOptions.builder().retryPolicy(quick(3, IOException.class)).build())
                        .build());
        queue.put(Job.builder().workflowName("flaky").id("f").build());
        app.start();
        await().atMost(DEADLINE).until(() -> store.find(JobId.of("f")).map(Job::status).orElse(null) == JobStatus.COMPLETED);
        assertThat(attempts).containsExactly(1, 2, 3);
        Job done = store.find(JobId.of("f")).orElseThrow();
        assertThat(done.lastReturnValue().textValue()).isEqualTo("ok after 3");
        assertThat(done.extraField(dev.ergate.RuntimeFields.ATTEMPT)).isNull();
        assertThat(done.stepsCompleted()).isEqualTo(2);
        // the re-queued jobs carried the attempt number and a later start time
        List<Job> retries = queue.puts().stream().filter(j -> j.extraField(dev.ergate.RuntimeFields.ATTEMPT) != null).toList();
        assertThat(retries).extracting(j -> j.extraField(dev.ergate.RuntimeFields.ATTEMPT)).containsExactly(IntNode.valueOf(2),
                IntNode.valueOf(3));
        assertThat(retries).allSatisfy(j -> assertThat(j.requestedStartTime()).isNotNull());
        assertThat(retries).allSatisfy(j -> assertThat(j.stepsCompleted()).isEqualTo(1));
    }

    @Test
    void whenAttemptsAreSpentTheJobFails() {
        JobRunner runner = JobRunner.builder().build();
        runner.register(Workflow.builder("w").retryPolicy(quick(2, RuntimeException.class))
                .step("a", JsonNode.class, (in, ctx) -> {
                    throw new IllegalStateException("always");
                }).build());
        StepResult first = runner.runStep(Job.of("w"));
        assertThat(first.outcome()).isEqualTo(StepResult.Outcome.RETRY_SCHEDULED);
        StepResult second = runner.runStep(first.next().orElseThrow());
        assertThat(second.outcome()).isEqualTo(StepResult.Outcome.FAILED);
        assertThat(second.state().orElseThrow().exceptionTraceback()).contains("always");
    }

    @Test
    void onlyTheChosenExceptionTypesAreRetriedAndTheStepPolicyOverridesTheWorkflows() {
        JobRunner runner = JobRunner.builder().build();
        runner.register(Workflow.builder("w").retryPolicy(quick(5, Exception.class))
                .step("a", JsonNode.class, (in, ctx) -> {
                    throw new IllegalStateException("not an IOException");
                }, StepOptions.builder().retryPolicy(quick(5, IOException.class)).build())
                .step("b", JsonNode.class, (in, ctx) -> null)
                .build());
        assertThat(runner.runStep(Job.of("w")).outcome()).isEqualTo(StepResult.Outcome.FAILED);
    }

    @Test
    void withoutAPolicyThereAreNoRetries() {
        JobRunner runner = JobRunner.builder().build();
        runner.register(Workflow.builder("w").step("a", JsonNode.class, (in, ctx) -> {
            throw new IOException("once");
        }).build());
        assertThat(runner.runStep(Job.of("w")).outcome()).isEqualTo(StepResult.Outcome.FAILED);
    }

    @Test
    void valuesThatNeverConvertAreNotRetried() {
        JobRunner runner = JobRunner.builder().build();
        runner.register(Workflow.builder("w").retryPolicy(quick(5, Exception.class))
                .step("a", Integer.class, (in, ctx) -> in).build());
        Job job = Job.builder().workflowName("w").initialInputValue(com.fasterxml.jackson.databind.node.TextNode.valueOf("x")).build();
        assertThat(runner.runStep(job).outcome()).isEqualTo(StepResult.Outcome.FAILED);
    }

    @Test
    void retryDelaysGrowExponentiallyWithJitterWithinTheCap() {
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(10).initialDelay(Duration.ofSeconds(1))
                .multiplier(2).maxDelay(Duration.ofSeconds(5)).jitter(0.5).build();
        assertThat(policy.delayBefore(2, 0.5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.delayBefore(3, 0.5)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.delayBefore(4, 0.5)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.delayBefore(5, 0.5)).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.delayBefore(3, 0.0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.delayBefore(3, 0.99)).isBetween(Duration.ofMillis(2900), Duration.ofSeconds(3));
        assertThat(policy.delayBefore(9, 0.99)).isLessThanOrEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aStepOverItsTimeoutFailsTheJob() {
        JobRunner runner = JobRunner.builder().build();
        runner.register(Workflow.builder("slow").step("a", JsonNode.class, (in, ctx) -> {
            new CountDownLatch(1).await(60, TimeUnit.SECONDS);
            return "too late";
        }, StepOptions.builder().timeout(Duration.ofMillis(200)).build()).build());
        long start = System.nanoTime();
        StepResult result = runner.runStep(Job.of("slow"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(result.outcome()).isEqualTo(StepResult.Outcome.FAILED);
        assertThat(result.error()).containsInstanceOf(StepTimeoutException.class);
        assertThat(result.state().orElseThrow().exceptionTraceback()).contains("ran longer than its timeout of PT0.2S");
        runner.close();
    }

    @Test
    void aTimedOutStepCanBeRetriedByItsPolicy() {
        JobRunner runner = JobRunner.builder().build();
        AtomicInteger calls = new AtomicInteger();
        runner.register(Workflow.builder("slow").step("a", JsonNode.class, (in, ctx) -> {
            if (calls.incrementAndGet() == 1) {
                new CountDownLatch(1).await(60, TimeUnit.SECONDS);
            }
            return "fast the second time";
        }, StepOptions.builder().timeout(Duration.ofMillis(200)).retryPolicy(quick(2, StepTimeoutException.class)).build())
                .build());
        StepResult first = runner.runStep(Job.of("slow"));
        assertThat(first.outcome()).isEqualTo(StepResult.Outcome.RETRY_SCHEDULED);
        StepResult second = runner.runStep(first.next().orElseThrow());
        assertThat(second.outcome()).isEqualTo(StepResult.Outcome.COMPLETED);
        runner.close();
    }

    @Test
    void theLeaseIsExtendedWhileALongStepRunsSoTheJobIsNotDeliveredTwice() throws Exception {
        TestQueue queue = new TestQueue(java.time.Clock.systemUTC(), Duration.ofMillis(400));
        TestStore store = new TestStore();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        app = Ergate.builder(queue, store).options(fast().build()).build()
                .registerWorkflow(Workflow.builder("long").step("a", JsonNode.class, (in, ctx) -> {
                    runs.incrementAndGet();
                    release.await(60, TimeUnit.SECONDS);
                    return "done";
                }).build());
        queue.put(Job.builder().workflowName("long").id("long").build());
        app.start();
        // several lease lengths pass while the step runs; the lease keeper must have extended it
        await().atMost(DEADLINE).until(() -> queue.extendCalls.get() >= 4);
        release.countDown();
        await().atMost(DEADLINE).until(() -> store.find(JobId.of("long")).map(Job::status).orElse(null) == JobStatus.COMPLETED);
        assertThat(runs).hasValue(1);
        int extendsAtEnd = queue.extendCalls.get();
        int takesAtEnd = queue.takeCalls.get();
        // let well over a lease length pass (the idle workers poll every 50 ms)
        await().atMost(DEADLINE).until(() -> queue.takeCalls.get() >= takesAtEnd + 30);
        assertThat(queue.extendCalls.get()).as("lease keeping stops when the step ends").isLessThanOrEqualTo(extendsAtEnd + 1);
    }
}
