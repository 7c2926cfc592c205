package dev.ergate.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.JobStatus;
import dev.ergate.runtime.annotations.Depends;
import dev.ergate.runtime.annotations.ErgateWorkflow;
import dev.ergate.runtime.annotations.Input;
import dev.ergate.runtime.annotations.Provides;
import dev.ergate.runtime.annotations.Retry;
import dev.ergate.runtime.annotations.Step;
import dev.ergate.runtime.annotations.UserContext;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class WorkflowDefinitionTest {

    private static StepFunction<JsonNode> noop() {
        return (in, ctx) -> null;
    }

    @Nested
    class Builder {

        @Test
        void duplicateStepNamesFailNamingWorkflowAndStep() {
            assertThatThrownBy(() -> Workflow.builder("w").step("a", JsonNode.class, noop())
                    .step("a", JsonNode.class, noop()).build())
                    .isInstanceOf(WorkflowDefinitionException.class)
                    .hasMessageContaining("workflow 'w'").hasMessageContaining("'a'");
        }

        @Test
        void aHintToAnUnknownStepFails() {
            assertThatThrownBy(() -> Workflow.builder("w")
                    .step("a", JsonNode.class, noop(), StepOptions.paths(PathHint.goTo("zz")))
                    .step("b", JsonNode.class, noop()).build())
                    .isInstanceOf(WorkflowDefinitionException.class)
                    .hasMessageContaining("workflow 'w', step 'a'").hasMessageContaining("goTo('zz')")
                    .hasMessageContaining("names no step");
        }

        @Test
        void aBackwardHintFails() {
            assertThatThrownBy(() -> Workflow.builder("w")
                    .step("a", JsonNode.class, noop())
                    .step("b", JsonNode.class, noop(), StepOptions.paths(PathHint.goTo("a"))).build())
                    .isInstanceOf(WorkflowDefinitionException.class)
                    .hasMessageContaining("step 'b'").hasMessageContaining("backwards");
        }

        @Test
        void aHintToItselfFails() {
            assertThatThrownBy(() -> Workflow.builder("w")
                    .step("a", JsonNode.class, noop(), StepOptions.paths(PathHint.goTo("a"))).build())
                    .isInstanceOf(WorkflowDefinitionException.class).hasMessageContaining("backwards");
        }

        @Test
        void aWorkflowNeedsStepsAndAName() {
            assertThatThrownBy(() -> Workflow.builder("empty").build())
                    .isInstanceOf(WorkflowDefinitionException.class).hasMessageContaining("'empty' has no steps");
            assertThatThrownBy(() -> Workflow.builder(" ").step("a", JsonNode.class, noop()).build())
                    .isInstanceOf(WorkflowDefinitionException.class).hasMessageContaining("non-blank name");
        }

        @Test
        void exposesNamesAndHints() {
            Workflow workflow = Workflow.builder("w")
                    .step("a", JsonNode.class, noop(), StepOptions.paths(PathHint.goTo("c"), PathHint.end()))
                    .step("b", JsonNode.class, noop())
                    .step("c", JsonNode.class, noop())
                    .build();
            assertThat(workflow.stepNames()).containsExactly("a", "b", "c");
            assertThat(workflow.paths("a")).containsExactly(PathHint.goTo("c"), PathHint.end());
            assertThat(workflow.longestRemainingFrom(0)).isEqualTo(2);
            assertThat(workflow.longestRemainingFrom(1)).isEqualTo(2);
        }
    }

    // ------------------------------------------------------------------ annotated classes

    record Order(String sku, int quantity) {
    }

    record Customer(String name) {
    }

    static final class Prices {
        int priceOf(String sku) {
            return sku.length();
        }
    }

    /** Methods named so that alphabetical and source order differ from the declared order. */
    @ErgateWorkflow("orders")
    static final class OrderWorkflow {
        @Step(order = 30)
        String aaaLast(@Input int total, @UserContext Customer customer) {
            return customer.name() + " pays " + total;
        }

        @Step(order = 10, name = "price")
        int zzzFirst(@Input Order order, @Depends Prices prices, Job job, StepContext context) {
            assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
            assertThat(context.stepName()).isEqualTo("price");
            return order.quantity() * prices.priceOf(order.sku());
        }

        @Step(order = 20)
        int mmmMiddle(@Input int total) {
            return total + 1;
        }

        @Provides
        Prices prices() {
            return new Prices();
        }
    }

    @Test
    void annotatedStepsRunInTheirDeclaredOrderWithInjectedParameters() {
        Workflow workflow = Workflow.fromAnnotated(new OrderWorkflow());
        assertThat(workflow.name()).isEqualTo("orders");
        assertThat(workflow.stepNames()).containsExactly("price", "mmmMiddle", "aaaLast");
        JobRunner runner = JobRunner.builder().build();
        runner.register(workflow);
        Job job = Job.builder().workflowName("orders")
                .initialInputValue(JobRunner.defaultObjectMapper().valueToTree(new Order("apple", 2)))
                .userContext(JobRunner.defaultObjectMapper().valueToTree(new Customer("bob")))
                .build();
        List<Job> states = JobRunnerTest.runToEnd(runner, job);
        Job last = states.get(states.size() - 1);
        assertThat(last.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(last.lastReturnValue().textValue()).isEqualTo("bob pays 11");
    }

    @ErgateWorkflow
    static final class SameOrder {
        @Step(order = 1)
        void one() {
        }

        @Step(order = 1)
        void two() {
        }
    }

    @Test
    void twoStepsWithTheSameOrderFail() {
        assertThatThrownBy(() -> Workflow.fromAnnotated(new SameOrder()))
                .isInstanceOf(WorkflowDefinitionException.class)
                .hasMessageContaining("workflow 'SameOrder'").hasMessageContaining("same order 1");
    }

    @ErgateWorkflow("two-inputs")
    static final class TwoInputs {
        @Step(order = 1)
        void both(@Input int a, @Input int b) {
        }
    }

    @Test
    void moreThanOneInputFails() {
        assertThatThrownBy(() -> Workflow.fromAnnotated(new TwoInputs()))
                .isInstanceOf(WorkflowDefinitionException.class)
                .hasMessageContaining("workflow 'two-inputs', step 'both'").hasMessageContaining("2 input parameters");
    }

    @ErgateWorkflow("unsupplied")
    static final class Unsupplied {
        @Step(order = 1)
        void step(@Input int a, String mystery) {
        }
    }

    @Test
    void aParameterTheEngineCannotSupplyFails() {
        assertThatThrownBy(() -> Workflow.fromAnnotated(new Unsupplied()))
                .isInstanceOf(WorkflowDefinitionException.class)
                .hasMessageContaining("workflow 'unsupplied', step 'step', parameter 'mystery'")
                .hasMessageContaining("can't be supplied");
    }

    @ErgateWorkflow("needs-db")
    static final class NeedsMissing {
        @Step(order = 1)
        void step(@Depends Prices prices) {
        }
    }

    @Test
    void aMissingDependencyFailsAtRegistration() {
        Workflow workflow = Workflow.fromAnnotated(new NeedsMissing());
        JobRunner runner = JobRunner.builder().build();
        assertThatThrownBy(() -> runner.register(workflow))
                .isInstanceOf(WorkflowDefinitionException.class)
                .hasMessageContaining("workflow 'needs-db', step 'step'")
                .hasMessageContaining("Prices");
        JobRunner withApp = JobRunner.builder()
                .dependencies(Dependencies.builder().singleton(Prices.class, new Prices()).build()).build();
        withApp.register(workflow);
        assertThat(withApp.workflows()).containsKey("needs-db");
    }

    static final class A {
    }

    static final class B {
    }

    @ErgateWorkflow("cyclic")
    static final class Cyclic {
        @Provides
        A a(@Depends B b) {
            return new A();
        }

        @Provides
        B b(@Depends A a) {
            return new B();
        }

        @Step(order = 1)
        void step(@Depends A a) {
        }
    }

    @Test
    void aDependencyCycleFailsAtRegistration() {
        Workflow workflow = Workflow.fromAnnotated(new Cyclic());
        assertThatThrownBy(() -> JobRunner.builder().build().register(workflow))
                .isInstanceOf(WorkflowDefinitionException.class)
                .hasMessageContaining("workflow 'cyclic', step 'step'")
                .hasMessageContaining("cycle")
                .hasMessageContaining("WorkflowDefinitionTest$A -> dev.ergate.runtime.WorkflowDefinitionTest$B -> dev.ergate.runtime.WorkflowDefinitionTest$A");
    }

    @ErgateWorkflow("two-providers")
    static final class TwoProviders {
        @Provides
        A first() {
            return new A();
        }

        @Provides
        A second() {
            return new A();
        }

        @Step(order = 1)
        void step(@Depends A a) {
        }
    }

    @Test
    void twoProvidersOfOneTypeAreADefinitionError() {
        assertThatThrownBy(() -> Workflow.fromAnnotated(new TwoProviders()))
                .isInstanceOf(WorkflowDefinitionException.class)
                .hasMessageContaining("WorkflowDefinitionTest$A")
                .hasMessageContaining("first").hasMessageContaining("second");
        assertThatThrownBy(() -> Dependencies.builder().providers(new TwoProviders()))
                .isInstanceOf(WorkflowDefinitionException.class);
    }

    @ErgateWorkflow("bad-hint")
    static final class BadHint {
        @Step(order = 1, paths = "second")
        void second() {
        }

        @Step(order = 2, paths = "first")
        void first() {
        }
    }

    @Test
    void annotatedHintsAreCheckedToo() {
        assertThatThrownBy(() -> Workflow.fromAnnotated(new BadHint()))
                .isInstanceOf(WorkflowDefinitionException.class)
                .hasMessageContaining("step 'second'").hasMessageContaining("backwards");
    }

    @Test
    void aClassWithoutTheAnnotationIsRefused() {
        assertThatThrownBy(() -> Workflow.fromAnnotated(new Object()))
                .isInstanceOf(WorkflowDefinitionException.class).hasMessageContaining("@ErgateWorkflow");
    }

    @ErgateWorkflow("bad-timeout")
    static final class BadTimeout {
        @Step(order = 1, timeout = "soon")
        void step() {
        }
    }

    @Test
    void aBadTimeoutIsRefused() {
        assertThatThrownBy(() -> Workflow.fromAnnotated(new BadTimeout()))
                .isInstanceOf(WorkflowDefinitionException.class)
                .hasMessageContaining("step 'step'").hasMessageContaining("'soon'");
    }

    @ErgateWorkflow("retrying")
    @Retry(maxAttempts = 4, initialDelay = "PT2S")
    static final class Retrying {
        @Step(order = 1)
        @Retry(maxAttempts = 2, initialDelay = "PT1S", on = IllegalStateException.class)
        void own() {
        }

        @Step(order = 2, timeout = "PT5S")
        void inherited() {
        }
    }

    @Test
    void retryAndTimeoutAnnotationsAreRead() {
        Workflow workflow = Workflow.fromAnnotated(new Retrying());
        assertThat(workflow.retryPolicy().orElseThrow().maxAttempts()).isEqualTo(4);
        StepDefinition own = workflow.step("own").orElseThrow();
        assertThat(own.retryPolicy.maxAttempts()).isEqualTo(2);
        assertThat(own.retryPolicy.retryOn()).containsExactly(IllegalStateException.class);
        assertThat(workflow.step("inherited").orElseThrow().timeout).hasSeconds(5);
    }

    @ErgateWorkflow("void-and-static")
    static final class VoidSteps {
        @Step(order = 1)
        static int first() {
            return 5;
        }

        @Step(order = 2)
        void second(@Input int five) {
            assertThat(five).isEqualTo(5);
        }
    }

    @Test
    void voidStepsReturnNullAndStaticStepsWork() {
        JobRunner runner = JobRunner.builder().build();
        runner.register(Workflow.fromAnnotated(new VoidSteps()));
        List<Job> states = JobRunnerTest.runToEnd(runner, Job.of("void-and-static"));
        Job last = states.get(states.size() - 1);
        assertThat(last.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(last.lastReturnValue().isNull()).isTrue();
        assertThat(states.get(1).lastReturnValue()).isEqualTo(IntNode.valueOf(5));
    }
}
