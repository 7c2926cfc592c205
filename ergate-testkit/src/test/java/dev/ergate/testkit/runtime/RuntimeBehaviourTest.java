package dev.ergate.testkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ergate.Job;
import dev.ergate.JobStatus;
import dev.ergate.runtime.Dependencies;
import dev.ergate.runtime.ErgateListener;
import dev.ergate.runtime.GoToStep;
import dev.ergate.runtime.PathHint;
import dev.ergate.runtime.RetryPolicy;
import dev.ergate.runtime.StepOptions;
import dev.ergate.runtime.StepResult;
import dev.ergate.runtime.Workflow;
import dev.ergate.testkit.TestRun;
import dev.ergate.testkit.WorkflowTester;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Behaviour of the runtime's engine (DESIGN.md, "A step, end to end"), checked with the WorkflowTester. */
@DisplayName("The runtime, run by the WorkflowTester")
class RuntimeBehaviourTest {

    /** A per-step dependency that logs its closing. */
    record Resource(String name, List<String> log) implements AutoCloseable {
        @Override
        public void close() {
            log.add("close " + name);
        }
    }

    /** A per-step dependency built on another one. */
    record Outer(Resource inner, List<String> log) implements AutoCloseable {
        @Override
        public void close() {
            log.add("close second");
        }
    }

    @Test
    @DisplayName("closes per-step dependencies in reverse order of creation, also when the step fails")
    void dependenciesCloseInReverse() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Dependencies dependencies = Dependencies.builder()
                .perStep(Resource.class, ctx -> {
                    log.add("open first");
                    return new Resource("first", log);
                })
                .perStep(Outer.class, ctx -> {
                    Resource inner = ctx.dependency(Resource.class);
                    log.add("open second");
                    return new Outer(inner, log);
                })
                .build();
        Workflow workflow = Workflow.builder("deps")
                .step("use", JsonNode.class, (in, ctx) -> {
                    ctx.dependency(Outer.class);
                    log.add("step body");
                    throw new IllegalStateException("step fails after using both");
                })
                .build();

        TestRun run = WorkflowTester.builder().workflow(workflow).dependencies(dependencies).build().run("deps", null);

        assertThat(run.status()).isEqualTo(JobStatus.FAILED);
        assertThat(run.traceback()).hasValueSatisfying(t -> assertThat(t).contains("step fails after using both"));
        assertThat(log).containsExactly("open first", "open second", "step body", "close second", "close first");
    }

    /** A per-step dependency whose teardown depends on how the step ended. */
    record Tx(List<String> log) {
    }

    @Test
    @DisplayName("a per-step dependency's teardown sees whether the step failed")
    void teardownSeesTheStepFailure() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Dependencies dependencies = Dependencies.builder()
                .perStep(Tx.class, new dev.ergate.runtime.DependencyFactory<Tx>() {
                    @Override
                    public Tx create(dev.ergate.runtime.StepContext ctx) {
                        return new Tx(log);
                    }

                    @Override
                    public void close(Tx tx, @org.jspecify.annotations.Nullable Throwable stepFailure) {
                        log.add(stepFailure == null ? "commit" : "rollback: " + stepFailure.getMessage());
                    }
                })
                .build();
        Workflow workflow = Workflow.builder("tx")
                .step("ok", JsonNode.class, (in, ctx) -> {
                    ctx.dependency(Tx.class);
                    return 1;
                })
                .step("boom", JsonNode.class, (in, ctx) -> {
                    ctx.dependency(Tx.class);
                    throw new IllegalStateException("boom");
                })
                .build();

        TestRun run = WorkflowTester.builder().workflow(workflow).dependencies(dependencies).build().run("tx", null);

        assertThat(run.status()).isEqualTo(JobStatus.FAILED);
        assertThat(log).containsExactly("commit", "rollback: boom");
    }

    @Test
    @DisplayName("retries only the exception types its policy names, and fails at once on others")
    void retryOnlyListedTypes() {
        AtomicInteger calls = new AtomicInteger();
        RetryPolicy onIo = RetryPolicy.builder().maxAttempts(5).initialDelay(Duration.ofSeconds(30))
                .retryOn(UncheckedIOException.class).build();
        Workflow workflow = Workflow.builder("io")
                .step("read", Integer.class, (n, ctx) -> {
                    calls.incrementAndGet();
                    if (n == 1 && ctx.attempt() < 3) {
                        throw new UncheckedIOException(new java.io.IOException("connection reset"));
                    }
                    if (n == 2) {
                        throw new IllegalArgumentException("bad record " + n);
                    }
                    return "read " + n;
                }, StepOptions.builder().retryPolicy(onIo).build())
                .build();
        WorkflowTester tester = WorkflowTester.of(workflow);

        TestRun retried = tester.run("io", 1);
        TestRun failed = tester.run("io", 2);

        assertThat(retried.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(retried.stepsRun()).hasSize(3);
        assertThat(retried.elapsed()).isEqualTo(Duration.ofSeconds(30 + 60));
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.stepsRun()).hasSize(1);
        assertThat(failed.traceback()).hasValueSatisfying(t -> assertThat(t)
                .startsWith("java.lang.IllegalArgumentException: bad record 2"));
        assertThat(calls).hasValue(4);
    }

    @Test
    @DisplayName("runs the exception hook of the most specific type")
    void mostSpecificHook() {
        List<String> heard = new ArrayList<>();
        Workflow workflow = Workflow.builder("hooks")
                .step("boom", JsonNode.class, (in, ctx) -> {
                    throw new IllegalArgumentException("bad input");
                })
                .build();
        WorkflowTester tester = WorkflowTester.builder().workflow(workflow)
                .exceptionHook(Exception.class, (e, job) -> heard.add("Exception"))
                .exceptionHook(IllegalArgumentException.class, (e, job) -> heard.add("IAE " + job.stepName()))
                .exceptionHook(RuntimeException.class, (e, job) -> heard.add("RuntimeException"))
                .build();

        tester.run("hooks", null);

        assertThat(heard).containsExactly("IAE boom");
    }

    @Test
    @DisplayName("ignores a listener that throws: the job's outcome does not change")
    void throwingListener() {
        List<StepResult.Outcome> outcomes = new ArrayList<>();
        ErgateListener broken = new ErgateListener() {
            @Override
            public void stepStarted(Job running) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void stepFinished(StepResult result) {
                outcomes.add(result.outcome());
                throw new IllegalStateException("listener bug");
            }
        };
        Workflow workflow = Workflow.builder("listened")
                .step("a", Integer.class, (n, ctx) -> n + 1)
                .step("b", Integer.class, (n, ctx) -> n * 2)
                .build();

        TestRun run = WorkflowTester.builder().workflow(workflow).listener(broken).build().run("listened", 1);

        assertThat(run.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(run.result(Integer.class)).isEqualTo(4);
        assertThat(outcomes).containsExactly(StepResult.Outcome.CONTINUED, StepResult.Outcome.COMPLETED);
    }

    @Test
    @DisplayName("fails a job whose step jumps backwards, naming the steps")
    void backwardsJump() {
        Workflow workflow = Workflow.builder("loop")
                .step("a", Integer.class, (n, ctx) -> n + 1)
                .step("b", Integer.class, (n, ctx) -> GoToStep.of("a", n))
                .build();

        TestRun run = WorkflowTester.of(workflow).run("loop", 0);

        assertThat(run.status()).isEqualTo(JobStatus.FAILED);
        assertThat(run.stepsRun()).containsExactly("a", "b");
        assertThat(run.traceback()).hasValueSatisfying(t -> assertThat(t)
                .contains("ReverseGoToException").contains("'b'").contains("'a'"));
    }

    @Test
    @DisplayName("predicts progress from path hints and never lets it go down")
    void progressFromHints() {
        Workflow workflow = Workflow.builder("branchy")
                .step("check", Integer.class, (n, ctx) -> n > 100 ? GoToStep.of("manual", n) : n,
                        StepOptions.paths(PathHint.next(), PathHint.goTo("manual")))
                .step("auto1", Integer.class, (n, ctx) -> n)
                .step("auto2", Integer.class, (n, ctx) -> n)
                .step("auto3", Integer.class, (n, ctx) -> dev.ergate.runtime.GoToEnd.of(n),
                        StepOptions.paths(PathHint.end()))
                .step("manual", Integer.class, (n, ctx) -> "manual " + n)
                .build();
        WorkflowTester tester = WorkflowTester.of(workflow);

        TestRun auto = tester.run("branchy", 5);
        TestRun manual = tester.run("branchy", 500);

        assertThat(auto.stepsRun()).containsExactly("check", "auto1", "auto2", "auto3");
        assertThat(manual.stepsRun()).containsExactly("check", "manual");
        assertThat(auto.updates()).extracting(Job::percentCompleted).isSorted();
        assertThat(auto.updates().get(1).percentCompleted()).isEqualTo(25.0);
        assertThat(manual.updates().get(1).percentCompleted()).isEqualTo(50.0);
        assertThat(manual.job().percentCompleted()).isEqualTo(100.0);
    }
}
