package dev.ergate.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.support.TestQueue;
import dev.ergate.runtime.support.TestStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ListenerTest {

    static final class Recorder implements ErgateListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void stepStarted(Job running) {
            events.add("started " + running.stepName());
        }

        @Override
        public void stepFinished(StepResult result) {
            events.add("finished " + result.outcome());
        }

        @Override
        public void jobFailed(Job failed, Throwable error) {
            events.add("failed " + error.getMessage());
        }
    }

    static final class Throwing implements ErgateListener {
        @Override
        public void stepStarted(Job running) {
            throw new IllegalStateException("listener bug");
        }

        @Override
        public void stepFinished(StepResult result) {
            throw new IllegalStateException("listener bug");
        }

        @Override
        public void jobFailed(Job failed, Throwable error) {
            throw new IllegalStateException("listener bug");
        }
    }

    @Test
    void listenersHearStartsEndsAndFailuresAndAThrowingOneIsIgnored() {
        Recorder recorder = new Recorder();
        JobRunner runner = JobRunner.builder().listener(new Throwing()).listener(recorder).build();
        runner.register(Workflow.builder("w")
                .step("a", JsonNode.class, (in, ctx) -> 1)
                .step("b", JsonNode.class, (in, ctx) -> {
                    throw new IllegalArgumentException("bad b");
                })
                .build());
        List<Job> states = JobRunnerTest.runToEnd(runner, Job.of("w"));
        assertThat(states.get(states.size() - 1).status()).isEqualTo(JobStatus.FAILED);
        assertThat(recorder.events).containsExactly("started a", "finished CONTINUED", "started b", "finished FAILED",
                "failed bad b");
    }

    @Test
    void theMostSpecificExceptionHookWins() {
        List<String> calls = new CopyOnWriteArrayList<>();
        JobRunner runner = JobRunner.builder()
                .exceptionHook(Exception.class, (e, job) -> calls.add("Exception"))
                .exceptionHook(IOException.class, (e, job) -> calls.add("IOException in " + job.stepName()))
                .exceptionHook(RuntimeException.class, (e, job) -> calls.add("RuntimeException"))
                .exceptionHook(IllegalArgumentException.class, (e, job) -> {
                    throw new IllegalStateException("hook bug is ignored");
                })
                .build();
        runner.register(Workflow.builder("io").step("read", JsonNode.class, (in, ctx) -> {
            throw new java.io.FileNotFoundException("gone");
        }).build());
        runner.register(Workflow.builder("rt").step("s", JsonNode.class, (in, ctx) -> {
            throw new UncheckedIOException(new IOException("x"));
        }).build());
        runner.register(Workflow.builder("other").step("s", JsonNode.class, (in, ctx) -> {
            throw new Exception("plain");
        }).build());
        runner.register(Workflow.builder("iae").step("s", JsonNode.class, (in, ctx) -> {
            throw new IllegalArgumentException("hook throws");
        }).build());
        runner.register(Workflow.builder("abort").step("s", JsonNode.class, (in, ctx) -> AbortJob.of("no hook")).build());
        runner.runStep(Job.of("io"));
        runner.runStep(Job.of("rt"));
        runner.runStep(Job.of("other"));
        assertThat(runner.runStep(Job.of("iae")).state().orElseThrow().status()).isEqualTo(JobStatus.FAILED);
        runner.runStep(Job.of("abort"));
        assertThat(calls).containsExactly("IOException in read", "RuntimeException", "Exception");
    }

    @Test
    void aLifespanWrapsTheWorkersRun() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        TestQueue queue = new TestQueue();
        TestStore store = new TestStore();
        Ergate app = Ergate.builder(queue, store)
                .options(ErgateOptions.builder().concurrency(1).pollTimeout(Duration.ofMillis(50)).handleSignals(false).build())
                .lifespan(worker -> {
                    events.add("start");
                    return () -> events.add("stop");
                })
                .build()
                .registerWorkflow(Workflow.builder("w").step("a", JsonNode.class, (in, ctx) -> {
                    events.add("step");
                    return 1;
                }).build());
        queue.put(Job.builder().workflowName("w").id("l").build());
        Thread runner = new Thread(app::run);
        runner.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> store.find(JobId.of("l")).map(Job::status).orElse(null)
                == JobStatus.COMPLETED);
        app.close();
        runner.join(60_000);
        assertThat(runner.isAlive()).isFalse();
        assertThat(events).containsExactly("start", "step", "stop");
    }

    @Test
    void aFailingLifespanStopsTheStart() {
        Ergate app = Ergate.builder(new TestQueue(), new TestStore())
                .options(ErgateOptions.builder().handleSignals(false).build())
                .lifespan(worker -> {
                    throw new IllegalStateException("no config");
                })
                .build();
        org.assertj.core.api.Assertions.assertThatThrownBy(app::start)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no config");
        assertThat(app.isRunning()).isFalse();
    }
}
