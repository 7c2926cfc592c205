package dev.ergate.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobRunnerTest {

    record Order(String sku, int quantity) {
    }

    record Customer(String name) {
    }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private static JobRunner runner(Workflow... workflows) {
        JobRunner runner = JobRunner.builder().build();
        for (Workflow workflow : workflows) {
            runner.register(workflow);
        }
        return runner;
    }

    /** Runs the job until it ends, collecting every state written (RUNNING and after). */
    static List<Job> runToEnd(JobRunner runner, Job job) {
        List<Job> states = new ArrayList<>();
        Job current = job;
        for (int i = 0; i < 100; i++) {
            StepResult result = runner.runStep(current, states::add);
            result.state().ifPresent(states::add);
            if (result.next().isEmpty()) {
                return states;
            }
            current = result.next().get();
        }
        throw new AssertionError("job did not end");
    }

    @Test
    void runsStepsInOrderPassingReturnValuesAndConvertingInputs() {
        Workflow workflow = Workflow.builder("orders")
                .step("parse", String.class, (raw, ctx) -> new Order(raw.split("x")[1], Integer.parseInt(raw.split("x")[0])))
                .step("double", Order.class, (order, ctx) -> new Order(order.sku(), order.quantity() * 2))
                .step("describe", Order.class, (order, ctx) -> order.quantity() + " of " + order.sku())
                .build();
        List<Job> states = runToEnd(runner(workflow), Job.builder().workflowName("orders")
                .initialInputValue(TextNode.valueOf("3xapple")).build());

        assertThat(states).extracting(Job::status).containsExactly(
                JobStatus.RUNNING, JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.QUEUED, JobStatus.RUNNING,
                JobStatus.COMPLETED);
        assertThat(states).extracting(Job::stepName).containsExactly("parse", null, "double", null, "describe", null);
        assertThat(states.get(1).lastReturnValue().get("quantity").intValue()).isEqualTo(3);
        Job last = states.get(states.size() - 1);
        assertThat(last.lastReturnValue().textValue()).isEqualTo("6 of apple");
        assertThat(last.stepsCompleted()).isEqualTo(3);
        assertThat(last.percentCompleted()).isEqualTo(100.0);
        assertThat(states.get(1).percentCompleted()).isCloseTo(100.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void assignsAnIdBeforeTheFirstStateUpdate() {
        Workflow workflow = Workflow.builder("w").step("only", JsonNode.class, (in, ctx) -> 1).build();
        List<Job> seen = new ArrayList<>();
        StepResult result = runner(workflow).runStep(Job.of("w"), seen::add);
        assertThat(seen).hasSize(1);
        JobId id = seen.get(0).id();
        assertThat(id).isNotNull();
        assertThat(java.util.UUID.fromString(id.value())).isNotNull();
        assertThat(result.state().orElseThrow().id()).isEqualTo(id);
    }

    @Test
    void injectsUserContextAndGenericInputs() {
        Workflow workflow = Workflow.builder("ctx")
                .step("sum", new TypeRef<List<Integer>>() { }, (numbers, ctx) ->
                        ctx.userContext(Customer.class).name() + ":" + numbers.stream().mapToInt(Integer::intValue).sum())
                .build();
        Job job = Job.builder().workflowName("ctx")
                .initialInputValue(JSON.arrayNode().add(1).add(2).add(3))
                .userContext(JSON.objectNode().put("name", "alice"))
                .build();
        StepResult result = runner(workflow).runStep(job);
        assertThat(result.outcome()).isEqualTo(StepResult.Outcome.COMPLETED);
        assertThat(result.state().orElseThrow().lastReturnValue().textValue()).isEqualTo("alice:6");
    }

    @Test
    void aValueThatDoesNotConvertFailsTheJobNamingStepParameterTypeAndValue() {
        Workflow workflow = Workflow.builder("conv")
                .step("count", Integer.class, (n, ctx) -> n + 1)
                .build();
        Job job = Job.builder().workflowName("conv").initialInputValue(JSON.objectNode().put("not", "a number")).build();
        StepResult result = runner(workflow).runStep(job);
        assertThat(result.outcome()).isEqualTo(StepResult.Outcome.FAILED);
        String traceback = result.state().orElseThrow().exceptionTraceback();
        assertThat(traceback).contains("StepArgumentException", "step 'count'", "workflow 'conv'", "input",
                "java.lang.Integer", "{\"not\":\"a number\"}");
    }

    @Test
    void goToStepJumpsForwardWithItsValue() {
        Workflow workflow = Workflow.builder("jump")
                .step("a", Integer.class, (n, ctx) -> GoToStep.of("c", n * 10), StepOptions.paths(PathHint.goTo("c")))
                .step("b", Integer.class, (n, ctx) -> { throw new AssertionError("skipped"); })
                .step("c", Integer.class, (n, ctx) -> n + 1)
                .build();
        List<Job> states = runToEnd(runner(workflow), Job.builder().workflowName("jump").initialInputValue(IntNode.valueOf(4)).build());
        assertThat(states).extracting(Job::stepName).containsExactly("a", null, "c", null);
        assertThat(states.get(states.size() - 1).lastReturnValue().intValue()).isEqualTo(41);
        assertThat(states.get(states.size() - 1).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(states.get(1).percentCompleted()).isEqualTo(50.0);
    }

    @Test
    void thrownGoToStepWorksLikeReturnedOne() {
        Workflow workflow = Workflow.builder("jump")
                .step("a", Integer.class, (n, ctx) -> { throw new GoToStep("c", "x"); })
                .step("b", String.class, (n, ctx) -> "b")
                .step("c", String.class, (n, ctx) -> n + "c")
                .build();
        List<Job> states = runToEnd(runner(workflow), Job.of("jump"));
        assertThat(states.get(states.size() - 1).lastReturnValue().textValue()).isEqualTo("xc");
    }

    @Test
    void goToStepBackwardsFailsWithReverseGoToException() {
        Workflow workflow = Workflow.builder("back")
                .step("a", JsonNode.class, (n, ctx) -> 1)
                .step("b", JsonNode.class, (n, ctx) -> GoToStep.of("a", 2))
                .build();
        List<Job> states = runToEnd(runner(workflow), Job.of("back"));
        Job last = states.get(states.size() - 1);
        assertThat(last.status()).isEqualTo(JobStatus.FAILED);
        assertThat(last.exceptionTraceback()).contains("ReverseGoToException", "step 'b'", "'a'");
        assertThat(last.stepsCompleted()).isEqualTo(1);
    }

    @Test
    void goToAnUnknownStepFails() {
        Workflow workflow = Workflow.builder("unknown-target")
                .step("a", JsonNode.class, (n, ctx) -> GoToStep.of("nope", 2))
                .build();
        StepResult result = runner(workflow).runStep(Job.of("unknown-target"));
        assertThat(result.outcome()).isEqualTo(StepResult.Outcome.FAILED);
        assertThat(result.state().orElseThrow().exceptionTraceback()).contains("'nope'", "does not exist");
    }

    @Test
    void goToEndCompletesAtOnce() {
        Workflow workflow = Workflow.builder("end")
                .step("a", JsonNode.class, (n, ctx) -> GoToEnd.of("early"), StepOptions.paths(PathHint.end(), PathHint.next()))
                .step("b", JsonNode.class, (n, ctx) -> "late")
                .build();
        StepResult result = runner(workflow).runStep(Job.of("end"));
        assertThat(result.outcome()).isEqualTo(StepResult.Outcome.COMPLETED);
        Job state = result.state().orElseThrow();
        assertThat(state.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(state.lastReturnValue().textValue()).isEqualTo("early");
        assertThat(state.stepsCompleted()).isEqualTo(1);
        assertThat(state.percentCompleted()).isEqualTo(100.0);
        assertThat(result.next()).isEmpty();
    }

    @Test
    void abortJobEndsAbortedKeepingTheMessageAndProgress() {
        Workflow workflow = Workflow.builder("abort")
                .step("a", JsonNode.class, (n, ctx) -> 1)
                .step("b", JsonNode.class, (n, ctx) -> { throw new AbortJob("customer cancelled"); })
                .step("c", JsonNode.class, (n, ctx) -> 3)
                .build();
        List<Job> states = runToEnd(runner(workflow), Job.of("abort"));
        Job last = states.get(states.size() - 1);
        assertThat(last.status()).isEqualTo(JobStatus.ABORTED);
        assertThat(last.exceptionTraceback()).isEqualTo("customer cancelled");
        assertThat(last.stepsCompleted()).isEqualTo(1);
        assertThat(last.percentCompleted()).isCloseTo(100.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(last.lastReturnValue().intValue()).isEqualTo(1);
    }

    @Test
    void anExceptionFailsTheJobWithItsJavaStackTrace() {
        Workflow workflow = Workflow.builder("fail")
                .step("a", JsonNode.class, (n, ctx) -> { throw new IllegalStateException("boom at step one"); })
                .build();
        StepResult result = runner(workflow).runStep(Job.of("fail"));
        assertThat(result.outcome()).isEqualTo(StepResult.Outcome.FAILED);
        assertThat(result.error()).containsInstanceOf(IllegalStateException.class);
        Job failed = result.state().orElseThrow();
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.stepName()).isNull();
        assertThat(failed.exceptionTraceback())
                .startsWith("java.lang.IllegalStateException: boom at step one")
                .contains("\tat dev.ergate.runtime.JobRunnerTest");
    }

    @Test
    void unknownWorkflowOrStepFailsWithAClearMessageWithoutRunning() {
        JobRunner runner = runner(Workflow.builder("known").step("a", JsonNode.class, (n, ctx) -> 1).build());
        List<Job> running = new ArrayList<>();
        StepResult noWorkflow = runner.runStep(Job.of("unknown"), running::add);
        assertThat(noWorkflow.outcome()).isEqualTo(StepResult.Outcome.FAILED);
        assertThat(noWorkflow.state().orElseThrow().exceptionTraceback()).contains("no workflow named 'unknown'", "[known]");
        StepResult noStep = runner.runStep(Job.builder().workflowName("known").stepName("zzz").build(), running::add);
        assertThat(noStep.state().orElseThrow().exceptionTraceback()).contains("has no step 'zzz'");
        assertThat(running).isEmpty();
    }

    @Test
    void finalJobsAreSkippedAndCancellingOnesCancelled() {
        JobRunner runner = runner(Workflow.builder("w").step("a", JsonNode.class, (n, ctx) -> 1).build());
        assertThat(runner.runStep(Job.builder().workflowName("w").status(JobStatus.COMPLETED).build()).outcome())
                .isEqualTo(StepResult.Outcome.SKIPPED);
        StepResult cancelled = runner.runStep(Job.builder().workflowName("w").status(JobStatus.CANCELLING).build());
        assertThat(cancelled.outcome()).isEqualTo(StepResult.Outcome.CANCELLED);
        assertThat(cancelled.state().orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.next()).isEmpty();
    }

    @Test
    void pendingStyleWritesPendingAndLeavesTheRequeueToAPublisher() {
        JobRunner runner = JobRunner.builder().afterStepStatus(JobStatus.PENDING).build();
        runner.register(Workflow.builder("w").step("a", JsonNode.class, (n, ctx) -> 1)
                .step("b", JsonNode.class, (n, ctx) -> 2).build());
        StepResult result = runner.runStep(Job.of("w"));
        assertThat(result.state().orElseThrow().status()).isEqualTo(JobStatus.PENDING);
        assertThat(result.next()).isEmpty();
        StepResult second = runner.runStep(result.state().orElseThrow().toBuilder().status(JobStatus.QUEUED).build());
        assertThat(second.state().orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(second.running().orElseThrow().stepName()).isEqualTo("b");
    }

    @Test
    void progressNeverGoesDownEvenWhenAStepLeavesItsHints() {
        // "b" claims it only ends the job, so after "a" the prediction is 1/(1+1) = 50 %; but "b"
        // returns normally to "c", where 2/(2+3) = 40 % would be a drop: the runner keeps 50 %.
        Workflow workflow = Workflow.builder("wander")
                .step("a", JsonNode.class, (n, ctx) -> 1)
                .step("b", JsonNode.class, (n, ctx) -> 2, StepOptions.paths(PathHint.end()))
                .step("c", JsonNode.class, (n, ctx) -> 3)
                .step("d", JsonNode.class, (n, ctx) -> 4)
                .step("e", JsonNode.class, (n, ctx) -> 5)
                .build();
        List<Job> states = runToEnd(runner(workflow), Job.of("wander"));
        double previous = 0;
        for (Job state : states) {
            assertThat(state.percentCompleted()).isGreaterThanOrEqualTo(previous);
            previous = state.percentCompleted();
        }
        assertThat(states.get(1).percentCompleted()).isEqualTo(50.0);
        assertThat(states.get(3).percentCompleted()).isEqualTo(50.0);
        assertThat(states.get(5).percentCompleted()).isEqualTo(60.0);
    }

    @Test
    void startsFromCurrentStepThenStepNameThenStepsCompleted() {
        Workflow workflow = Workflow.builder("pointer")
                .step("a", JsonNode.class, (n, ctx) -> "a")
                .step("b", JsonNode.class, (n, ctx) -> "b")
                .step("c", JsonNode.class, (n, ctx) -> "c")
                .build();
        JobRunner runner = runner(workflow);
        Job byIndex = Job.builder().workflowName("pointer").stepsCompleted(1).stepName("a")
                .extraField("current_step", IntNode.valueOf(2)).build();
        assertThat(runner.runStep(byIndex).running().orElseThrow().stepName()).isEqualTo("c");
        Job byName = Job.builder().workflowName("pointer").stepsCompleted(0).stepName("b").build();
        assertThat(runner.runStep(byName).running().orElseThrow().stepName()).isEqualTo("b");
        Job byCount = Job.builder().workflowName("pointer").stepsCompleted(1).build();
        assertThat(runner.runStep(byCount).running().orElseThrow().stepName()).isEqualTo("b");
    }

    @Test
    void returnValueThatCannotBeJsonFailsTheJob() {
        Workflow workflow = Workflow.builder("badreturn")
                .step("a", JsonNode.class, (n, ctx) -> new Object() {
                    @SuppressWarnings("unused")
                    public Object getSelf() {
                        throw new IllegalStateException("no json for you");
                    }
                })
                .build();
        StepResult result = runner(workflow).runStep(Job.of("badreturn"));
        assertThat(result.outcome()).isEqualTo(StepResult.Outcome.FAILED);
        assertThat(result.state().orElseThrow().exceptionTraceback()).contains("can't be written as JSON");
    }

    @Test
    void registeringTheSameWorkflowNameTwiceFails() {
        JobRunner runner = runner(Workflow.builder("dup").step("a", JsonNode.class, (n, ctx) -> 1).build());
        assertThatThrownBy(() -> runner.register(Workflow.builder("dup").step("x", JsonNode.class, (n, ctx) -> 1).build()))
                .isInstanceOf(WorkflowDefinitionException.class)
                .hasMessageContaining("'dup'");
    }

    @Test
    void stepsQueuedInOneMillisecondShareTheirQueuedAtValue() {
        MutableMillis clock = new MutableMillis(Instant.parse("2030-01-01T00:00:00Z"));
        JobRunner runner = JobRunner.builder().clock(clock).build();
        runner.register(Workflow.builder("q").step("a", JsonNode.class, (n, ctx) -> 1)
                .step("b", JsonNode.class, (n, ctx) -> 2).build());

        Job first = runner.runStep(Job.builder().id("q1").workflowName("q").build()).next().orElseThrow();
        Job second = runner.runStep(Job.builder().id("q2").workflowName("q").build()).next().orElseThrow();
        clock.now = clock.now.plusMillis(1);
        Job third = runner.runStep(Job.builder().id("q3").workflowName("q").build()).next().orElseThrow();

        JsonNode queuedAt = first.extraFields().get("ergate_queued_at");
        assertThat(queuedAt.longValue()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z").toEpochMilli());
        assertThat(second.extraFields().get("ergate_queued_at")).as("same millisecond: one node").isSameAs(queuedAt);
        assertThat(third.extraFields().get("ergate_queued_at").longValue()).isEqualTo(queuedAt.longValue() + 1);
    }

    /** A clock whose time a test sets. */
    private static final class MutableMillis extends Clock {
        Instant now;

        MutableMillis(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void usesTheInjectedClockForRetryTimes() {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        JobRunner runner = JobRunner.builder().clock(Clock.fixed(now, ZoneOffset.UTC)).random(() -> 0.5).build();
        runner.register(Workflow.builder("r")
                .step("a", JsonNode.class, (n, ctx) -> { throw new IllegalStateException("flaky"); },
                        StepOptions.builder().retryPolicy(RetryPolicy.builder().maxAttempts(2)
                                .initialDelay(Duration.ofSeconds(10)).build()).build())
                .build());
        StepResult result = runner.runStep(Job.of("r"));
        assertThat(result.outcome()).isEqualTo(StepResult.Outcome.RETRY_SCHEDULED);
        assertThat(result.next().orElseThrow().requestedStartTime()).isEqualTo(now.plusSeconds(10));
        assertThat(Map.copyOf(result.next().orElseThrow().extraFields())).containsEntry("ergate_attempt", IntNode.valueOf(2));
    }
}
