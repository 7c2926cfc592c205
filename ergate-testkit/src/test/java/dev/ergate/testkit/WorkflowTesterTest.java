package dev.ergate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.AbortJob;
import dev.ergate.runtime.Dependencies;
import dev.ergate.runtime.RetryPolicy;
import dev.ergate.runtime.StepOptions;
import dev.ergate.runtime.StepResult;
import dev.ergate.runtime.Workflow;
import dev.ergate.runtime.annotations.Depends;
import dev.ergate.runtime.annotations.ErgateWorkflow;
import dev.ergate.runtime.annotations.Input;
import dev.ergate.runtime.annotations.Provides;
import dev.ergate.runtime.annotations.Step;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("WorkflowTester")
class WorkflowTesterTest {

    private static Workflow calc() {
        return Workflow.builder("calc")
                .step("add", Integer.class, (n, ctx) -> n + 1)
                .step("mul", Integer.class, (n, ctx) -> n * 10)
                .step("show", Integer.class, (n, ctx) -> "=" + n)
                .build();
    }

    @Nested
    @DisplayName("run")
    class Run {

        @Test
        @DisplayName("takes a job to its end and returns the final state and every state written")
        void toTheEnd() {
            TestRun run = WorkflowTester.of(calc()).run("calc", 4);

            assertThat(run.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(run.result(String.class)).isEqualTo("=50");
            assertThat(run.stepsRun()).containsExactly("add", "mul", "show");
            assertThat(run.updates()).extracting(Job::status).containsExactly(
                    JobStatus.RUNNING, JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.QUEUED,
                    JobStatus.RUNNING, JobStatus.COMPLETED);
            assertThat(run.updates()).extracting(Job::stepName)
                    .containsExactly("add", null, "mul", null, "show", null);
            assertThat(run.updates().get(1).lastReturnValue().intValue()).isEqualTo(5);
            assertThat(run.job().id()).isNotNull();
            assertThat(run.updates()).extracting(Job::id).containsOnly(run.job().id());
            assertThat(run.elapsed()).isEqualTo(Duration.ZERO);
        }

        @Test
        @DisplayName("runs every step in the calling thread")
        void callingThread() {
            List<Thread> threads = new ArrayList<>();
            Workflow workflow = Workflow.builder("t")
                    .step("a", JsonNode.class, (in, ctx) -> threads.add(Thread.currentThread()))
                    .step("b", JsonNode.class, (in, ctx) -> threads.add(Thread.currentThread()))
                    .build();

            WorkflowTester.of(workflow).run("t", null);

            assertThat(threads).containsExactly(Thread.currentThread(), Thread.currentThread());
        }

        @Test
        @DisplayName("keeps the id and user context it is given")
        void keepsIdAndContext() {
            Workflow workflow = Workflow.builder("ctx")
                    .step("greet", String.class, (name, ctx) -> "hello " + name + " from "
                            + ctx.userContext(JsonNode.class).get("tenant").textValue())
                    .build();
            WorkflowTester tester = WorkflowTester.of(workflow);

            TestRun run = tester.run(tester.newJob("ctx", "bob", java.util.Map.of("tenant", "acme"))
                    .toBuilder().id("job-7").build());

            assertThat(run.job().id()).isEqualTo(JobId.of("job-7"));
            assertThat(run.result(String.class)).isEqualTo("hello bob from acme");
            assertThat(run.job().userContext().get("tenant").textValue()).isEqualTo("acme");
        }

        @Test
        @DisplayName("jumps the fake clock over retry backoff, exactly, without waiting")
        void retryBackoff() {
            AtomicInteger attempts = new AtomicInteger();
            RetryPolicy policy = RetryPolicy.builder().maxAttempts(4).initialDelay(Duration.ofMinutes(10))
                    .multiplier(2).maxDelay(Duration.ofHours(1)).build();
            Workflow workflow = Workflow.builder("flaky")
                    .step("call", JsonNode.class, (in, ctx) -> {
                        if (attempts.incrementAndGet() < 3) {
                            throw new IllegalStateException("service unavailable");
                        }
                        return "ok after " + ctx.attempt();
                    }, StepOptions.builder().retryPolicy(policy).build())
                    .build();
            WorkflowTester tester = WorkflowTester.of(workflow);
            Instant start = tester.clock().instant();

            long wallStart = System.nanoTime();
            TestRun run = tester.run("flaky", null);
            Duration wall = Duration.ofNanos(System.nanoTime() - wallStart);

            assertThat(run.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(run.result(String.class)).isEqualTo("ok after 3");
            assertThat(run.stepsRun()).containsExactly("call", "call", "call");
            assertThat(run.steps()).extracting(StepResult::outcome).containsExactly(
                    StepResult.Outcome.RETRY_SCHEDULED, StepResult.Outcome.RETRY_SCHEDULED,
                    StepResult.Outcome.COMPLETED);
            assertThat(run.elapsed()).isEqualTo(Duration.ofMinutes(30));
            assertThat(tester.clock().instant()).isEqualTo(start.plus(Duration.ofMinutes(30)));
            assertThat(wall).as("real time of a run with 30 minutes of backoff").isLessThan(Duration.ofSeconds(10));
        }

        @Test
        @DisplayName("waits for a requested start time on the fake clock")
        void delayedStart() {
            List<Instant> seen = new ArrayList<>();
            ManualClock clock = ManualClock.create();
            Workflow workflow = Workflow.builder("later")
                    .step("at", JsonNode.class, (in, ctx) -> seen.add(ctx.dependency(Clock.class).instant()))
                    .build();
            WorkflowTester tester = WorkflowTester.builder().workflow(workflow).clock(clock)
                    .dependency(Clock.class, clock).build();
            Instant due = clock.instant().plus(Duration.ofDays(2));

            TestRun run = tester.run(Job.builder().workflowName("later").requestedStartTime(due).build());

            assertThat(seen).containsExactly(due);
            assertThat(run.elapsed()).isEqualTo(Duration.ofDays(2));
        }

        @Test
        @DisplayName("gives up on a job that does not end within maxSteps, naming it")
        void endless() {
            RetryPolicy forever = RetryPolicy.builder().maxAttempts(Integer.MAX_VALUE)
                    .initialDelay(Duration.ofSeconds(1)).build();
            Workflow workflow = Workflow.builder("endless")
                    .step("fail", JsonNode.class, (in, ctx) -> {
                        throw new IllegalStateException("always");
                    }, StepOptions.builder().retryPolicy(forever).build())
                    .build();
            WorkflowTester tester = WorkflowTester.builder().workflow(workflow).maxSteps(25).build();

            assertThatThrownBy(() -> tester.run("endless", null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'endless'")
                    .hasMessageContaining("25 steps");
        }

        @Test
        @DisplayName("in PENDING mode plays the publisher and writes what Python Ergate 2025 writes")
        void pendingMode() {
            TestRun run = WorkflowTester.builder().workflow(calc()).afterStepStatus(JobStatus.PENDING).build()
                    .run("calc", 1);

            assertThat(run.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(run.result(String.class)).isEqualTo("=20");
            assertThat(run.updates()).extracting(Job::status).containsExactly(
                    JobStatus.RUNNING, JobStatus.PENDING, JobStatus.RUNNING, JobStatus.PENDING,
                    JobStatus.RUNNING, JobStatus.COMPLETED);
        }

        @Test
        @DisplayName("runs interceptors around each step, first registered outermost, and tells listeners after each write")
        void interceptorsAndListeners() {
            List<String> calls = new ArrayList<>();
            WorkflowTester tester = WorkflowTester.builder().workflow(calc())
                    .interceptor((invocation, proceed) -> {
                        calls.add("outer " + invocation.step() + "#" + invocation.attempt());
                        return proceed.proceed();
                    })
                    .interceptor((invocation, proceed) -> {
                        calls.add("inner " + invocation.step());
                        return proceed.proceed();
                    })
                    .listener(new dev.ergate.runtime.ErgateListener() {
                        @Override
                        public void stepFinished(StepResult result) {
                            calls.add("finished " + result.outcome());
                        }
                    })
                    .build();

            TestRun run = tester.run("calc", 1);

            assertThat(run.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(calls).containsExactly("outer add#1", "inner add", "finished CONTINUED",
                    "outer mul#1", "inner mul", "finished CONTINUED", "outer show#1", "inner show", "finished COMPLETED");
        }
    }

    @Nested
    @DisplayName("step by step")
    class StepByStep {

        @Test
        @DisplayName("runs one step at a time and tells what comes next")
        void oneAtATime() {
            TestExecution execution = WorkflowTester.of(calc()).start("calc", 1);

            assertThat(execution.nextStep()).hasValue("add");
            StepResult first = execution.step();
            assertThat(first.outcome()).isEqualTo(StepResult.Outcome.CONTINUED);
            assertThat(execution.job().status()).isEqualTo(JobStatus.QUEUED);
            assertThat(execution.job().lastReturnValue().intValue()).isEqualTo(2);
            assertThat(execution.nextStep()).hasValue("mul");
            assertThat(execution.updates()).hasSize(2);

            execution.step();
            execution.step();

            assertThat(execution.isDone()).isTrue();
            assertThat(execution.nextStep()).isEmpty();
            assertThat(execution.job().status()).isEqualTo(JobStatus.COMPLETED);
            assertThatThrownBy(execution::step).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already ended COMPLETED");
        }

        @Test
        @DisplayName("a cancel request between steps ends the job CANCELLED before its next step")
        void cancel() {
            AtomicInteger later = new AtomicInteger();
            Workflow workflow = Workflow.builder("two")
                    .step("first", JsonNode.class, (in, ctx) -> 1)
                    .step("second", JsonNode.class, (in, ctx) -> later.incrementAndGet())
                    .build();
            TestExecution execution = WorkflowTester.of(workflow).start("two", null);
            execution.step();

            assertThat(execution.requestCancel()).isTrue();
            TestRun run = execution.runToEnd();

            assertThat(later).hasValue(0);
            assertThat(run.status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(run.stepsRun()).containsExactly("first");
            assertThat(run.updates()).extracting(Job::status).containsExactly(
                    JobStatus.RUNNING, JobStatus.QUEUED, JobStatus.CANCELLING, JobStatus.CANCELLED);
            assertThat(execution.requestCancel()).as("cancel after the end").isFalse();
        }

        @Test
        @DisplayName("a cancel request of a PENDING job (publisher mode) ends it CANCELLED at once, as on a backend")
        void cancelPending() {
            AtomicInteger later = new AtomicInteger();
            Workflow workflow = Workflow.builder("two")
                    .step("first", JsonNode.class, (in, ctx) -> 1)
                    .step("second", JsonNode.class, (in, ctx) -> later.incrementAndGet())
                    .build();
            TestExecution execution = WorkflowTester.builder().workflow(workflow).afterStepStatus(JobStatus.PENDING)
                    .build().start("two", null);
            execution.step();
            assertThat(execution.job().status()).isEqualTo(JobStatus.PENDING);

            assertThat(execution.requestCancel()).isTrue();

            assertThat(execution.job().status()).as("no message exists to see a CANCELLING").isEqualTo(JobStatus.CANCELLED);
            assertThat(execution.isDone()).isTrue();
            assertThat(execution.runToEnd().status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(later).hasValue(0);
        }

        @Test
        @DisplayName("an aborted job is done with its message kept")
        void abort() {
            Workflow workflow = Workflow.builder("abort")
                    .step("check", Integer.class, (n, ctx) -> n > 10 ? AbortJob.of("too many: " + n) : n)
                    .step("use", Integer.class, (n, ctx) -> n)
                    .build();

            TestRun run = WorkflowTester.of(workflow).run("abort", 11);

            assertThat(run.status()).isEqualTo(JobStatus.ABORTED);
            assertThat(run.traceback()).hasValue("too many: 11");
            assertThat(run.stepsRun()).containsExactly("check");
        }
    }

    @Nested
    @DisplayName("dependencies")
    class DependencyOverrides {

        interface Greeter {
            String greet(String name);
        }

        @ErgateWorkflow("own")
        static class OwnProvider {
            @Provides
            Greeter greeter() {
                return name -> "real " + name;
            }

            @Step(order = 1)
            String hello(@Input String name, @Depends Greeter greeter) {
                return greeter.greet(name);
            }
        }

        @ErgateWorkflow("app")
        static class AppProvided {
            @Step(order = 1)
            String hello(@Input String name, @Depends Greeter greeter) {
                return greeter.greet(name);
            }
        }

        @Test
        @DisplayName("replace the app's dependencies with fakes")
        void replaceAppDependency() {
            Dependencies production = Dependencies.builder().singleton(Greeter.class, name -> "real " + name).build();
            WorkflowTester tester = WorkflowTester.builder()
                    .annotated(new AppProvided())
                    .dependencies(production)
                    .dependency(Greeter.class, name -> "fake " + name)
                    .build();

            assertThat(tester.run("app", "ann").result(String.class)).isEqualTo("fake ann");
        }

        @Test
        @DisplayName("replace a workflow's own provider too, which in production wins over the app's")
        void replaceOwnProvider() {
            WorkflowTester tester = WorkflowTester.builder()
                    .annotated(new OwnProvider())
                    .dependency(Greeter.class, name -> "fake " + name)
                    .build();

            assertThat(tester.run("own", "ann").result(String.class)).isEqualTo("fake ann");
        }

        @Test
        @DisplayName("leave a workflow's own provider alone when nothing replaces it")
        void keepOwnProvider() {
            WorkflowTester tester = WorkflowTester.builder()
                    .annotated(new OwnProvider())
                    .dependency(String.class, "unrelated")
                    .build();

            assertThat(tester.run("own", "ann").result(String.class)).isEqualTo("real ann");
        }

        @Test
        @DisplayName("a missing dependency fails at build time, naming workflow and step")
        void missing() {
            assertThatThrownBy(() -> WorkflowTester.builder().annotated(new AppProvided()).build())
                    .hasMessageContaining("'app'").hasMessageContaining("'hello'");
        }
    }

    @Test
    @DisplayName("builder refuses no workflows and a step limit below one")
    void builderValidates() {
        assertThatThrownBy(() -> WorkflowTester.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one workflow");
        assertThatThrownBy(() -> WorkflowTester.builder().workflow(calc()).maxSteps(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSteps");
    }
}
