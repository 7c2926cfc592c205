package dev.ergate.runtime;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ergate.ErgateException;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.StepStart;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Type;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one step of one job, synchronously: the engine the {@link Ergate} worker drives, usable on
 * its own (a test harness can run a job to its end with a fake clock, no threads, no sleeps).
 *
 * <p>{@link #runStep(Job, Consumer)} finds the job's workflow and next step, builds its RUNNING
 * state (assigning a UUID id when the job has none) and hands it to {@code beforeStep} (the
 * worker writes it to the store there), runs the step with its arguments and dependencies, and
 * returns a {@link StepResult}: the new state and the job to put next. It touches no queue and no
 * store itself. Progress follows Python Ergate: {@code steps_completed} counts finished steps,
 * {@code percent_completed} is {@code steps_completed / (steps_completed + longest possible
 * remaining path) * 100}, never going down.
 *
 * <p>Where the next step is: the job's {@code current_step} (its index, as Python Ergate 2025
 * writes it and as this runner writes it), else its {@code step_name}, else its {@code
 * steps_completed} (Python Ergate 2024, whose workflows only go forward one step at a time).
 *
 * <p>Thread-safe: many threads may run steps at once, and workflows may be registered at any time.
 */
public final class JobRunner implements AutoCloseable {

    /** The extra job field holding the index of the step to run next, as Python Ergate 2025 names it. */
    public static final String CURRENT_STEP_FIELD = "current_step";

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    private final Map<String, Workflow> workflows = new ConcurrentHashMap<>();
    private final ValueConverter converter;
    private final Clock clock;
    private final Dependencies dependencies;
    private final JobStatus afterStepStatus;
    private final List<ErgateListener> listeners;
    private final List<HookEntry<?>> hooks;
    private final DoubleSupplier random;
    private final Object timeoutLock = new Object();
    private @Nullable ExecutorService timeoutExecutor;

    private JobRunner(Builder b) {
        this.converter = new ValueConverter(b.objectMapper == null ? defaultObjectMapper() : b.objectMapper);
        this.clock = b.clock;
        this.dependencies = b.dependencies;
        this.afterStepStatus = b.afterStepStatus;
        this.listeners = List.copyOf(b.listeners);
        this.hooks = List.copyOf(b.hooks);
        this.random = b.random;
    }

    /** @return a builder with the defaults: system UTC clock, QUEUED after a step, no listeners */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return a new ObjectMapper as the runner uses by default: java.time support, dates as ISO
     *     text, unknown properties ignored (as Python's pydantic does), null refused for
     *     primitives; polymorphic typing never enabled
     */
    public static ObjectMapper defaultObjectMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
    }

    /**
     * Validates and adds a workflow.
     *
     * @param workflow the workflow
     * @throws WorkflowDefinitionException if a workflow of that name is already registered, a
     *     dependency an annotated step or provider needs has no provider, or providers form a cycle
     */
    public void register(Workflow workflow) {
        Objects.requireNonNull(workflow, "workflow");
        for (StepDefinition step : workflow.steps()) {
            String where = "workflow '" + workflow.name() + "', step '" + step.name + "'";
            for (ParamSpec param : step.params) {
                if (param.kind() == ParamSpec.Kind.DEPENDENCY) {
                    checkProvider(workflow, param.type(), new ArrayDeque<>(), where + ", " + param.describe());
                }
            }
        }
        for (Type type : workflow.dependencies().types()) {
            checkProvider(workflow, type, new ArrayDeque<>(), "workflow '" + workflow.name() + "', dependency "
                    + type.getTypeName());
        }
        if (workflows.putIfAbsent(workflow.name(), workflow) != null) {
            throw new WorkflowDefinitionException("a workflow named '" + workflow.name() + "' is already registered");
        }
    }

    private void checkProvider(Workflow workflow, Type type, Deque<Type> path, String where) {
        if (path.contains(type)) {
            List<String> cycle = new ArrayList<>();
            boolean in = false;
            for (java.util.Iterator<Type> it = path.descendingIterator(); it.hasNext(); ) {
                Type t = it.next();
                in = in || t.equals(type);
                if (in) {
                    cycle.add(t.getTypeName());
                }
            }
            cycle.add(type.getTypeName());
            throw new WorkflowDefinitionException(where + ": dependencies form a cycle: " + String.join(" -> ", cycle));
        }
        Provider provider = workflow.dependencies().provider(type).or(() -> dependencies.provider(type))
                .orElseThrow(() -> new WorkflowDefinitionException(where + " can't be supplied: no provider for "
                        + type.getTypeName() + " is registered (add it to the workflow's or the app's Dependencies)"));
        path.push(type);
        for (Type required : provider.requires()) {
            checkProvider(workflow, required, path, where + " -> " + provider.describe());
        }
        path.pop();
    }

    /** @return the registered workflows, by name (a read-only snapshot) */
    public Map<String, Workflow> workflows() {
        return Map.copyOf(workflows);
    }

    /** @return the status written after a step that did not end the job: QUEUED or PENDING */
    public JobStatus afterStepStatus() {
        return afterStepStatus;
    }

    /** @return the clock */
    public Clock clock() {
        return clock;
    }

    /**
     * As {@link #runStep(Job, Consumer)} without a {@code beforeStep} action.
     *
     * @param job the job as taken from the queue
     * @return what happened
     */
    public StepResult runStep(Job job) {
        return runStep(job, running -> { });
    }

    /**
     * Runs the job's next step.
     *
     * @param job the job as taken from the queue
     * @param beforeStep called with the RUNNING state just before the step runs (the worker writes
     *     it to the store); if it throws, the step does not run and the exception propagates
     * @return what happened; never throws for a problem of the job or its step (those end in a
     *     FAILED result)
     */
    public StepResult runStep(Job job, Consumer<? super Job> beforeStep) {
        return runStepIfStarted(job, running -> {
            beforeStep.accept(running);
            return StepStart.STARTED;
        });
    }

    /**
     * Runs the job's next step if {@code start} lets it.
     *
     * @param job the job as taken from the queue
     * @param start called with the RUNNING state just before the step runs (the worker records it
     *     with {@link dev.ergate.spi.JobStore#startStep}); the step runs only when it answers
     *     {@link StepStart#STARTED}. {@link StepStart#CANCEL_REQUESTED} gives the {@link #cancel}
     *     result and {@link StepStart#ALREADY_FINAL} a SKIPPED one. If it throws, the step does not
     *     run and the exception propagates
     * @return what happened; never throws for a problem of the job or its step (those end in a
     *     FAILED result)
     */
    public StepResult runStepIfStarted(Job job, Function<? super Job, StepStart> start) {
        if (job.status().isFinal()) {
            return skipped();
        }
        if (job.status() == JobStatus.CANCELLING) {
            return cancel(job);
        }
        Job current = withId(job);
        Workflow workflow = workflows.get(current.workflowName());
        if (workflow == null) {
            return failWithoutRunning(current, new ErgateException("no workflow named '" + current.workflowName()
                    + "' is registered on this worker (registered: " + new java.util.TreeSet<>(workflows.keySet()) + ")"));
        }
        StepDefinition step;
        try {
            step = nextStep(workflow, current);
        } catch (ErgateException e) {
            return failWithoutRunning(current, e);
        }
        int attempt = attemptOf(current);
        Job running = current.toBuilder()
                .status(JobStatus.RUNNING)
                .stepName(step.name)
                .extraField(CURRENT_STEP_FIELD, IntNode.valueOf(step.index))
                .build();
        StepStart started = start.apply(running);
        if (started == StepStart.CANCEL_REQUESTED) {
            return cancel(current);
        }
        if (started == StepStart.ALREADY_FINAL) {
            return skipped();
        }
        // indexed loops: iterating the (usually empty) listener list would allocate an iterator per step
        for (int i = 0; i < listeners.size(); i++) {
            ErgateListener listener = listeners.get(i);
            safely("stepStarted", () -> listener.stepStarted(running));
        }
        StepResult result = execute(workflow, step, running, attempt);
        for (int i = 0; i < listeners.size(); i++) {
            ErgateListener listener = listeners.get(i);
            safely("stepFinished", () -> listener.stepFinished(result));
        }
        if (result.outcome() == StepResult.Outcome.FAILED) {
            Job failed = result.state().orElseThrow();
            Throwable error = result.error().orElseThrow();
            for (ErgateListener listener : listeners) {
                safely("jobFailed", () -> listener.jobFailed(failed, error));
            }
        }
        return result;
    }

    private static StepResult skipped() {
        return new StepResult(StepResult.Outcome.SKIPPED, null, null, null, null);
    }

    /**
     * The result for a job that is to be cancelled instead of run (it is CANCELLING, here or in
     * the store): CANCELLED, not re-queued.
     *
     * @param job the job
     * @return the CANCELLED result
     */
    public StepResult cancel(Job job) {
        Job cancelled = withId(job).toBuilder().status(JobStatus.CANCELLED).stepName(null).build();
        StepResult result = new StepResult(StepResult.Outcome.CANCELLED, null, cancelled, null, null);
        for (ErgateListener listener : listeners) {
            safely("stepFinished", () -> listener.stepFinished(result));
        }
        return result;
    }

    /**
     * The result for a job given up on without running, such as a poison message: FAILED with the
     * reason in {@code exception_traceback}.
     *
     * @param job the job
     * @param reason why, for the job's reader
     * @return the FAILED result
     */
    public StepResult fail(Job job, String reason) {
        return failWithoutRunning(withId(job), new ErgateException(reason));
    }

    private StepResult failWithoutRunning(Job job, ErgateException error) {
        LOG.warn("Job {} of workflow '{}' fails without running: {}", job.id(), job.workflowName(), error.getMessage());
        Job failed = job.toBuilder().status(JobStatus.FAILED).stepName(null)
                .exceptionTraceback(traceback(error)).build();
        StepResult result = new StepResult(StepResult.Outcome.FAILED, null, failed, null, error);
        for (ErgateListener listener : listeners) {
            safely("stepFinished", () -> listener.stepFinished(result));
            safely("jobFailed", () -> listener.jobFailed(failed, error));
        }
        return result;
    }

    private static Job withId(Job job) {
        return job.id() == null ? job.toBuilder().id(JobId.random()).build() : job;
    }

    private static StepDefinition nextStep(Workflow workflow, Job job) {
        JsonNode current = job.extraField(CURRENT_STEP_FIELD);
        if (current != null && !current.isNull()) {
            if (!current.canConvertToInt() || !current.isIntegralNumber()) {
                throw new ErgateException("job " + job.id() + ": current_step must be a step index, got " + current);
            }
            int index = current.intValue();
            if (index < 0 || index >= workflow.steps().size()) {
                throw new ErgateException("job " + job.id() + ": workflow '" + workflow.name() + "' has no step number "
                        + index + " (current_step); it has " + workflow.steps().size() + " steps " + workflow.stepNames());
            }
            return workflow.steps().get(index);
        }
        String stepName = job.stepName();
        if (stepName != null) {
            return workflow.step(stepName).orElseThrow(() -> new ErgateException("job " + job.id() + ": workflow '"
                    + workflow.name() + "' has no step '" + stepName + "' (its steps: " + workflow.stepNames() + ")"));
        }
        int index = job.stepsCompleted();
        if (index >= workflow.steps().size()) {
            throw new ErgateException("job " + job.id() + ": workflow '" + workflow.name() + "' has only "
                    + workflow.steps().size() + " steps, but the job has completed " + index + " and is not final");
        }
        return workflow.steps().get(index);
    }

    private static int attemptOf(Job job) {
        JsonNode attempt = job.extraField(RetryPolicy.ATTEMPT_FIELD);
        if (attempt != null && attempt.canConvertToInt() && attempt.intValue() >= 1) {
            return attempt.intValue();
        }
        return 1;
    }

    private StepResult execute(Workflow workflow, StepDefinition step, Job running, int attempt) {
        StepScope scope = new StepScope(converter, workflow, step, running, attempt, dependencies);
        Object returned;
        try {
            returned = call(workflow, step, scope);
        } catch (FlowControl control) {
            returned = control;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failure(workflow, step, running, attempt, e);
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
            return failure(workflow, step, running, attempt, e);
        }
        try {
            return success(workflow, step, running, returned);
        } catch (ErgateException e) {
            return failure(workflow, step, running, attempt, e);
        }
    }

    private @Nullable Object call(Workflow workflow, StepDefinition step, StepScope scope) throws Exception {
        Duration timeout = step.timeout;
        if (timeout == null) {
            return callAndClose(step, scope);
        }
        Future<Object> future = timeoutExecutor().submit(() -> callAndClose(step, scope));
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new StepTimeoutException(workflow.name(), step.name, timeout);
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private static @Nullable Object callAndClose(StepDefinition step, StepScope scope) throws Exception {
        Throwable failure = null;
        try {
            return step.invoker.invoke(scope);
        } catch (Exception | Error e) {
            failure = e;
            throw e;
        } finally {
            scope.closeAll(failure);
        }
    }

    private ExecutorService timeoutExecutor() {
        synchronized (timeoutLock) {
            if (timeoutExecutor == null) {
                AtomicInteger count = new AtomicInteger();
                timeoutExecutor = Executors.newCachedThreadPool(r -> {
                    Thread thread = new Thread(r, "ergate-timed-step-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
            }
            return timeoutExecutor;
        }
    }

    private StepResult success(Workflow workflow, StepDefinition step, Job running, @Nullable Object returned) {
        if (returned instanceof AbortJob abort) {
            Job aborted = running.toBuilder().status(JobStatus.ABORTED).stepName(null)
                    .exceptionTraceback(abort.getMessage())
                    .extraField(RetryPolicy.ATTEMPT_FIELD, null).build();
            return new StepResult(StepResult.Outcome.ABORTED, running, aborted, null, null);
        }
        if (returned instanceof GoToEnd end) {
            return completed(running, json(workflow, step, end.value()));
        }
        if (returned instanceof GoToStep jump) {
            StepDefinition target = workflow.step(jump.step()).orElseThrow(() -> new ErgateException("step '"
                    + step.name + "' of workflow '" + workflow.name() + "' asked to go to step '" + jump.step()
                    + "', which does not exist (its steps: " + workflow.stepNames() + ")"));
            if (target.index <= step.index) {
                throw new ReverseGoToException(workflow.name(), step.name, jump.step());
            }
            return continued(workflow, running, target.index, json(workflow, step, jump.value()));
        }
        JsonNode value = json(workflow, step, returned);
        if (step.index + 1 >= workflow.steps().size()) {
            return completed(running, value);
        }
        return continued(workflow, running, step.index + 1, value);
    }

    private JsonNode json(Workflow workflow, StepDefinition step, @Nullable Object value) {
        try {
            return converter.toJson(value);
        } catch (IllegalArgumentException e) {
            throw new ErgateException("step '" + step.name + "' of workflow '" + workflow.name()
                    + "' returned a " + (value == null ? "null" : value.getClass().getName())
                    + " that can't be written as JSON: " + e.getMessage(), e);
        }
    }

    private static StepResult completed(Job running, JsonNode value) {
        Job done = running.toBuilder()
                .status(JobStatus.COMPLETED)
                .stepName(null)
                .stepsCompleted(running.stepsCompleted() + 1)
                .percentCompleted(100.0)
                .lastReturnValue(value)
                .extraField(CURRENT_STEP_FIELD, null)
                .extraField(RetryPolicy.ATTEMPT_FIELD, null)
                .build();
        return new StepResult(StepResult.Outcome.COMPLETED, running, done, null, null);
    }

    private StepResult continued(Workflow workflow, Job running, int nextIndex, JsonNode value) {
        int completed = running.stepsCompleted() + 1;
        double predicted = (double) completed / (completed + workflow.longestRemainingFrom(nextIndex)) * 100.0;
        double percent = Math.min(100.0, Math.max(running.percentCompleted(), predicted));
        Job state = running.toBuilder()
                .status(afterStepStatus)
                .stepName(null)
                .stepsCompleted(completed)
                .percentCompleted(percent)
                .lastReturnValue(value)
                .extraField(CURRENT_STEP_FIELD, IntNode.valueOf(nextIndex))
                .extraField(RetryPolicy.ATTEMPT_FIELD, null)
                .build();
        return new StepResult(StepResult.Outcome.CONTINUED, running, state, requeue(state), null);
    }

    private @Nullable Job requeue(Job state) {
        return afterStepStatus == JobStatus.QUEUED ? state : null;
    }

    private StepResult failure(Workflow workflow, StepDefinition step, Job running, int attempt, Throwable error) {
        runHook(error, running);
        RetryPolicy policy = step.retryPolicy != null ? step.retryPolicy : workflow.retryPolicy().orElse(null);
        if (policy != null && retryable(policy, attempt, error)) {
            Duration delay = policy.delayBefore(attempt + 1, random.getAsDouble());
            LOG.info("Step '{}' of workflow '{}' failed on attempt {} of {} for job {}; retrying in {}: {}",
                    step.name, workflow.name(), attempt, policy.maxAttempts(), running.id(), delay, error.toString());
            Job retry = running.toBuilder()
                    .status(afterStepStatus)
                    .stepName(null)
                    .requestedStartTime(clock.instant().plus(delay))
                    .extraField(RetryPolicy.ATTEMPT_FIELD, IntNode.valueOf(attempt + 1))
                    .build();
            return new StepResult(StepResult.Outcome.RETRY_SCHEDULED, running, retry, requeue(retry), error);
        }
        LOG.info("Step '{}' of workflow '{}' failed job {}: {}", step.name, workflow.name(), running.id(), error.toString());
        Job failed = running.toBuilder()
                .status(JobStatus.FAILED)
                .stepName(null)
                .exceptionTraceback(traceback(error))
                .build();
        return new StepResult(StepResult.Outcome.FAILED, running, failed, null, error);
    }

    private static boolean retryable(RetryPolicy policy, int attempt, Throwable error) {
        if (error instanceof ReverseGoToException) {
            return false;
        }
        if (error instanceof StepArgumentException argument) {
            return argument.isRetryable() && argument.getCause() != null
                    && policy.shouldRetry(attempt, argument.getCause());
        }
        return policy.shouldRetry(attempt, error);
    }

    private void runHook(Throwable error, Job running) {
        HookEntry<?> best = null;
        for (HookEntry<?> entry : hooks) {
            if (entry.type.isInstance(error) && (best == null || best.type.isAssignableFrom(entry.type))) {
                best = entry;
            }
        }
        if (best != null) {
            HookEntry<?> chosen = best;
            safely("exception hook for " + chosen.type.getName(), () -> chosen.call(error, running));
        }
    }

    /** @return the throwable's Java stack trace, as {@code exception_traceback} holds it */
    static String traceback(Throwable error) {
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            error.printStackTrace(out);
        }
        return text.toString();
    }

    private static void safely(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException | LinkageError | AssertionError e) {
            LOG.warn("A listener ({}) threw; ignored", what, e);
        }
    }

    /** Stops the threads that watch step timeouts. Idempotent. */
    @Override
    public void close() {
        synchronized (timeoutLock) {
            if (timeoutExecutor != null) {
                timeoutExecutor.shutdownNow();
            }
        }
    }

    private static final class HookEntry<E extends Throwable> {
        final Class<E> type;
        final ExceptionHook<? super E> hook;

        HookEntry(Class<E> type, ExceptionHook<? super E> hook) {
            this.type = type;
            this.hook = hook;
        }

        void call(Throwable error, Job job) {
            hook.onException(type.cast(error), job);
        }
    }

    /** Configures a {@link JobRunner}. Not thread-safe. */
    public static final class Builder {
        private @Nullable ObjectMapper objectMapper;
        private Clock clock = Clock.systemUTC();
        private Dependencies dependencies = Dependencies.none();
        private JobStatus afterStepStatus = JobStatus.QUEUED;
        private final List<ErgateListener> listeners = new ArrayList<>();
        private final List<HookEntry<?>> hooks = new ArrayList<>();
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

        private Builder() {
        }

        /**
         * @param mapper converts JSON values to step parameter types and back; {@code null} for
         *     {@link #defaultObjectMapper()}. Never enable default typing on it.
         * @return this builder
         */
        public Builder objectMapper(@Nullable ObjectMapper mapper) {
            this.objectMapper = mapper;
            return this;
        }

        /**
         * @param clock the time source (retry times)
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param dependencies the app's dependencies, looked up after a workflow's own
         * @return this builder
         */
        public Builder dependencies(Dependencies dependencies) {
            this.dependencies = Objects.requireNonNull(dependencies, "dependencies");
            return this;
        }

        /**
         * @param status the status written after a step that did not end the job: QUEUED (the
         *     worker re-queues the job itself; Python Ergate 2024) or PENDING (a publisher re-queues
         *     it; Python Ergate 2025)
         * @return this builder
         * @throws IllegalArgumentException for any other status
         */
        public Builder afterStepStatus(JobStatus status) {
            if (status != JobStatus.QUEUED && status != JobStatus.PENDING) {
                throw new IllegalArgumentException("afterStepStatus must be QUEUED or PENDING, got " + status);
            }
            this.afterStepStatus = status;
            return this;
        }

        /**
         * @param listener hears step starts, ends and job failures
         * @return this builder
         */
        public Builder listener(ErgateListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * @param type the exception type the hook handles (subtypes included)
         * @param hook called when a step throws such an exception and no hook for a more specific
         *     type matches
         * @param <E> the exception type
         * @return this builder
         */
        public <E extends Throwable> Builder exceptionHook(Class<E> type, ExceptionHook<? super E> hook) {
            hooks.add(new HookEntry<>(Objects.requireNonNull(type, "type"), Objects.requireNonNull(hook, "hook")));
            return this;
        }

        /**
         * @param random numbers in [0, 1) for retry jitter
         * @return this builder
         */
        public Builder random(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** @return the runner */
        public JobRunner build() {
            return new JobRunner(this);
        }
    }
}
