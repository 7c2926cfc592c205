package dev.ergate.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ergate.Job;
import dev.ergate.JobStatus;
import dev.ergate.RuntimeFields;
import dev.ergate.runtime.Dependencies;
import dev.ergate.runtime.ErgateListener;
import dev.ergate.runtime.ExceptionHook;
import dev.ergate.runtime.JobRunner;
import dev.ergate.runtime.StepInterceptor;
import dev.ergate.runtime.TypeRef;
import dev.ergate.runtime.Workflow;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs workflows synchronously in a unit test, on the runtime's own {@link JobRunner}: no queue,
 * no worker threads, no sleeping; a {@link ManualClock} jumps over delays and retry backoff.
 * Dependencies given here replace the app's and a workflow's own ({@link
 * Workflow#withDependencies}). Thread-safe to share; each run is independent (testkit README).
 *
 * <pre>{@code
 * WorkflowTester tester = WorkflowTester.builder()
 *         .workflow(orders)
 *         .dependency(PaymentGateway.class, new FakeGateway())
 *         .build();
 * TestRun run = tester.run("orders", new Order("A-1", 2));
 * assertThat(run.status()).isEqualTo(JobStatus.COMPLETED);
 * }</pre>
 */
public final class WorkflowTester implements AutoCloseable {

    private final JobRunner runner;
    private final ManualClock clock;
    private final ObjectMapper mapper;
    private final int maxSteps;
    private final Map<String, Workflow> workflows;

    private WorkflowTester(Builder b) {
        this.clock = b.clock;
        this.mapper = b.objectMapper == null ? JobRunner.defaultObjectMapper() : b.objectMapper;
        this.maxSteps = b.maxSteps;
        JobRunner.Builder runnerBuilder = JobRunner.builder()
                .clock(clock)
                .objectMapper(mapper)
                .afterStepStatus(b.afterStepStatus)
                .dependencies(b.dependencies.build())
                .random(b.random);
        b.listeners.forEach(runnerBuilder::listener);
        b.interceptors.forEach(runnerBuilder::interceptor);
        b.hooks.forEach(hook -> hook.accept(runnerBuilder));
        this.runner = runnerBuilder.build();
        Dependencies overrides = b.dependencies.build();
        Map<String, Workflow> byName = new LinkedHashMap<>();
        for (Workflow given : b.workflows) {
            Workflow workflow = withOverrides(given, overrides, b.overridden);
            runner.register(workflow);
            byName.put(workflow.name(), workflow);
        }
        this.workflows = Map.copyOf(byName);
    }

    /**
     * A workflow whose own provider of an overridden type is replaced by the tester's: in
     * production a workflow's own dependencies are looked up before the app's, so an app-level
     * fake alone would never be seen.
     */
    private static Workflow withOverrides(Workflow workflow, Dependencies overrides, List<Type> overridden) {
        Collection<Type> own = workflow.dependencies().types();
        if (overridden.stream().noneMatch(own::contains)) {
            return workflow;
        }
        return workflow.withDependencies(Dependencies.builder().addAll(workflow.dependencies()).addAll(overrides).build());
    }

    /** {@return a builder} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param workflows the workflows to run
     * @return a tester with no dependencies, starting at {@link ManualClock#create()}'s time
     * @throws dev.ergate.runtime.WorkflowDefinitionException if a workflow is invalid
     */
    public static WorkflowTester of(Workflow... workflows) {
        Builder builder = builder();
        for (Workflow workflow : workflows) {
            builder.workflow(workflow);
        }
        return builder.build();
    }

    /** {@return the fake clock steps and retries see; move it yourself to test time-based logic} */
    public ManualClock clock() {
        return clock;
    }

    /** {@return the mapper that converts inputs, user contexts and results} */
    public ObjectMapper objectMapper() {
        return mapper;
    }

    /** {@return the most steps one run may take before it is considered endless} */
    public int maxSteps() {
        return maxSteps;
    }

    /**
     * Runs a job to its end.
     *
     * @param job the job as submitted (an id is assigned when it has none)
     * @return the final state and every state written on the way
     * @throws IllegalStateException if the job does not end within {@link #maxSteps()} steps
     */
    public TestRun run(Job job) {
        return start(job).runToEnd();
    }

    /**
     * Runs a new job of a workflow to its end.
     *
     * @param workflowName the workflow
     * @param input the first step's input, converted to JSON; {@code null} for JSON null
     * @return the final state and every state written on the way
     */
    public TestRun run(String workflowName, @Nullable Object input) {
        return run(newJob(workflowName, input, null));
    }

    /**
     * Runs a new job of a workflow, with a user context, to its end.
     *
     * @param workflowName the workflow
     * @param input the first step's input, converted to JSON; {@code null} for JSON null
     * @param userContext the job's user context, converted to JSON; {@code null} for JSON null
     * @return the final state and every state written on the way
     */
    public TestRun run(String workflowName, @Nullable Object input, @Nullable Object userContext) {
        return run(newJob(workflowName, input, userContext));
    }

    /**
     * Submits a job without running anything yet, to run it step by step.
     *
     * @param job the job as submitted (an id is assigned when it has none)
     * @return the execution
     */
    public TestExecution start(Job job) {
        Objects.requireNonNull(job, "job");
        return new TestExecution(this, runner, clock, job);
    }

    /**
     * As {@link #start(Job)} for a new job of a workflow.
     *
     * @param workflowName the workflow
     * @param input the first step's input, converted to JSON; {@code null} for JSON null
     * @return the execution
     */
    public TestExecution start(String workflowName, @Nullable Object input) {
        return start(newJob(workflowName, input, null));
    }

    /**
     * @param workflowName the workflow
     * @param input the first step's input, converted to JSON
     * @param userContext the user context, converted to JSON
     * @return a new QUEUED job, not yet submitted
     */
    public Job newJob(String workflowName, @Nullable Object input, @Nullable Object userContext) {
        return Job.builder()
                .workflowName(workflowName)
                .initialInputValue(toJson(input, "input"))
                .userContext(toJson(userContext, "user context"))
                .build();
    }

    private JsonNode toJson(@Nullable Object value, String what) {
        try {
            return mapper.valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + what + " (" + (value == null ? "null" : value.getClass().getName())
                    + ") can't be written as JSON: " + e.getMessage(), e);
        }
    }

    /** Where the runner will start: current_step, else step_name, else steps_completed. */
    Optional<String> nextStepName(Job job) {
        Workflow workflow = workflows.get(job.workflowName());
        if (workflow == null || job.status().isFinal() || job.status() == JobStatus.CANCELLING) {
            return Optional.empty();
        }
        List<String> names = workflow.stepNames();
        JsonNode index = job.extraField(RuntimeFields.CURRENT_STEP);
        if (index != null && index.isIntegralNumber()) {
            int i = index.intValue();
            return i >= 0 && i < names.size() ? Optional.of(names.get(i)) : Optional.empty();
        }
        if (job.stepName() != null) {
            return names.contains(job.stepName()) ? Optional.of(job.stepName()) : Optional.empty();
        }
        int done = job.stepsCompleted();
        return done < names.size() ? Optional.of(names.get(done)) : Optional.empty();
    }

    /** Stops the helper thread of steps with a timeout, if one was started. Idempotent. */
    @Override
    public void close() {
        runner.close();
    }

    /** Configures a {@link WorkflowTester}. Not thread-safe. */
    public static final class Builder {
        private final List<Workflow> workflows = new ArrayList<>();
        private final Dependencies.Builder dependencies = Dependencies.builder();
        private final List<Type> overridden = new ArrayList<>();
        private final List<ErgateListener> listeners = new ArrayList<>();
        private final List<StepInterceptor> interceptors = new ArrayList<>();
        private final List<Consumer<JobRunner.Builder>> hooks = new ArrayList<>();
        private ManualClock clock = ManualClock.create();
        private @Nullable ObjectMapper objectMapper;
        private JobStatus afterStepStatus = JobStatus.QUEUED;
        private DoubleSupplier random = () -> 0.5;
        private int maxSteps = 1000;

        private Builder() {
        }

        /** @param workflow a workflow the tester runs @return this builder */
        public Builder workflow(Workflow workflow) {
            workflows.add(Objects.requireNonNull(workflow, "workflow"));
            return this;
        }

        /**
         * @param annotatedWorkflow an instance of an {@code @ErgateWorkflow} class
         * @return this builder
         */
        public Builder annotated(Object annotatedWorkflow) {
            return workflow(Workflow.fromAnnotated(annotatedWorkflow));
        }

        /**
         * @param dependencies app dependencies steps may ask for (added to, and replacing,
         *     earlier ones of the same type)
         * @return this builder
         */
        public Builder dependencies(Dependencies dependencies) {
            this.dependencies.addAll(dependencies);
            overridden.addAll(dependencies.types());
            return this;
        }

        /**
         * Provides (or replaces) one app dependency with a fixed instance, typically a fake.
         *
         * @param type the type steps ask for
         * @param instance what they get
         * @param <T> that type
         * @return this builder
         */
        public <T> Builder dependency(Class<T> type, T instance) {
            dependencies.singleton(type, instance);
            overridden.add(type);
            return this;
        }

        /**
         * As {@link #dependency(Class, Object)} for a generic type.
         *
         * @param type the type steps ask for
         * @param instance what they get
         * @param <T> that type
         * @return this builder
         */
        public <T> Builder dependency(TypeRef<T> type, T instance) {
            dependencies.singleton(type, instance);
            overridden.add(type.type());
            return this;
        }

        /** @param clock the fake clock; a new {@link ManualClock#create()} by default @return this builder */
        public Builder clock(ManualClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @param mapper converts values to and from JSON; the runtime's default when null @return this builder */
        public Builder objectMapper(@Nullable ObjectMapper mapper) {
            this.objectMapper = mapper;
            return this;
        }

        /**
         * @param status what a worker writes after a step that did not end the job: QUEUED (the
         *     default) or PENDING (the tester then plays the publisher and queues the job again)
         * @return this builder
         */
        public Builder afterStepStatus(JobStatus status) {
            this.afterStepStatus = Objects.requireNonNull(status, "status");
            return this;
        }

        /** @param listener hears step starts, ends and job failures @return this builder */
        public Builder listener(ErgateListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * @param interceptor wraps every step invocation, as on a worker; the first registered is
         *     the outermost
         * @return this builder
         */
        public Builder interceptor(StepInterceptor interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * @param type the exception type (subtypes included)
         * @param hook called when a step throws it
         * @param <E> the exception type
         * @return this builder
         */
        public <E extends Throwable> Builder exceptionHook(Class<E> type, ExceptionHook<? super E> hook) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(hook, "hook");
            hooks.add(runner -> runner.exceptionHook(type, hook));
            return this;
        }

        /** @param random numbers in [0, 1) for retry jitter; a constant 0.5 (no jitter) by default @return this builder */
        public Builder random(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** @param maxSteps the most steps one run may take, at least 1; 1000 by default @return this builder */
        public Builder maxSteps(int maxSteps) {
            this.maxSteps = maxSteps;
            return this;
        }

        /**
         * @return the tester
         * @throws IllegalArgumentException naming the setting, if {@code maxSteps} is below 1 or
         *     no workflow was given
         * @throws dev.ergate.runtime.WorkflowDefinitionException if a workflow is invalid or
         *     needs a dependency nobody provides
         */
        public WorkflowTester build() {
            if (maxSteps < 1) {
                throw new IllegalArgumentException("maxSteps must be at least 1, got " + maxSteps);
            }
            if (workflows.isEmpty()) {
                throw new IllegalArgumentException("a WorkflowTester needs at least one workflow");
            }
            return new WorkflowTester(this);
        }
    }
}
