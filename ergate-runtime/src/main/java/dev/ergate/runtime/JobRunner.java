package dev.ergate.runtime;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ergate.ErgateException;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.RuntimeFields;
import dev.ergate.internal.DaemonThreads;
import dev.ergate.internal.JobSteps;
import dev.ergate.spi.StepStart;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Type;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one step of one job, synchronously, touching no queue and no store: {@link #prepare}
 * decides (an early outcome, or the RUNNING state to record), {@link #execute} runs the step and
 * returns its {@link StepResult}; {@link #runStep} chains them for a harness. Thread-safe;
 * workflows may be registered at any time. See DESIGN.md, "A step, end to end".
 */
public final class JobRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    private final Map<String, Workflow> workflows = new ConcurrentHashMap<>();
    private final ValueConverter converter;
    private final Clock clock;
    /** The last {@link #queuedAtNow()} made. */
    private @Nullable LongNode lastQueuedAt;
    private final Dependencies dependencies;
    private final JobStatus afterStepStatus;
    private final ListenerGroup listeners;
    private final List<HookEntry<?>> hooks;
    private final DoubleSupplier random;
    private final StepInterceptor[] interceptors;
    /** The {@link Ergate} worker sets the MDC keys itself, around the whole delivery. */
    private final boolean callerSetsMdc;
    /** False when MDC keys are off altogether (timeout threads included). */
    private final boolean mdc;
    private final Object timeoutLock = new Object();
    private @Nullable ExecutorService timeoutExecutor;

    private JobRunner(Builder b) {
        this.converter = new ValueConverter(b.objectMapper == null ? defaultObjectMapper() : b.objectMapper);
        this.clock = b.clock;
        this.dependencies = b.dependencies;
        this.afterStepStatus = b.afterStepStatus;
        this.listeners = new ListenerGroup(b.listeners);
        this.hooks = List.copyOf(b.hooks);
        this.random = b.random;
        this.interceptors = b.interceptors.toArray(new StepInterceptor[0]);
        this.callerSetsMdc = b.callerSetsMdc;
        this.mdc = b.mdc;
    }

    /** {@return a builder with the defaults: system UTC clock, QUEUED after a step, no listeners} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return a new ObjectMapper as the runner uses by default: java.time support, dates as ISO
     * text, unknown properties ignored (as Python's pydantic does), null refused for primitives;
     * polymorphic typing never enabled}
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

    /** {@return the registered workflows, by name (a read-only snapshot)} */
    public Map<String, Workflow> workflows() {
        return Map.copyOf(workflows);
    }

    /** {@return the status written after a step that did not end the job: QUEUED or PENDING} */
    public JobStatus afterStepStatus() {
        return afterStepStatus;
    }

    /** {@return the clock} */
    public Clock clock() {
        return clock;
    }

    /**
     * Runs the job's next step with no store: {@link #prepare}, {@link #execute}, and the
     * listeners, in the calling thread.
     *
     * @param job the job as taken from the queue
     * @return what happened
     */
    public StepResult runStep(Job job) {
        return runStep(job, running -> { });
    }

    /**
     * Runs the job's next step: {@link #prepare}, {@code beforeStep}, {@link #execute}, and the
     * listeners ({@link #notifyStarted} after {@code beforeStep}, {@link #notifyFinished} at the
     * end), in the calling thread.
     *
     * @param job the job as taken from the queue
     * @param beforeStep called with the RUNNING state just before the step runs (record it
     *     there); if it throws, the step does not run and the exception propagates
     * @return what happened; never throws for a problem of the job or its step (those end in a
     *     FAILED result)
     */
    public StepResult runStep(Job job, Consumer<? super Job> beforeStep) {
        PreparedStep step = prepare(job);
        StepResult result;
        if (step.runs()) {
            beforeStep.accept(step.running());
            notifyStarted(step.running());
            result = execute(step);
        } else {
            result = step.outcome();
        }
        notifyFinished(result);
        return result;
    }

    /**
     * Decides what to do with a job before anything runs: a final job is {@link
     * StepResult.Outcome#SKIPPED SKIPPED}, a CANCELLING one {@link StepResult.Outcome#CANCELLED
     * CANCELLED}, one whose workflow or step is unknown {@link StepResult.Outcome#FAILED FAILED};
     * otherwise the step to run and the job's RUNNING state (a job without id gets a UUID), to be
     * recorded before {@link #execute}. Touches no store and calls no listener.
     *
     * @param job the job as taken from the queue
     * @return the decision
     */
    public PreparedStep prepare(Job job) {
        if (job.status().isFinal()) {
            return PreparedStep.decided(StepResult.skipped());
        }
        if (job.status() == JobStatus.CANCELLING) {
            return PreparedStep.decided(cancel(job));
        }
        Job current = withId(job);
        Workflow workflow = workflows.get(current.workflowName());
        if (workflow == null) {
            return PreparedStep.unknown(failWithoutRunning(current, new ErgateException("no workflow named '"
                    + current.workflowName() + "' is registered on this worker (registered: "
                    + new java.util.TreeSet<>(workflows.keySet()) + ")")));
        }
        StepDefinition step;
        try {
            step = nextStep(workflow, current);
        } catch (UnknownStepException e) {
            return PreparedStep.unknown(failWithoutRunning(current, e));
        } catch (ErgateException e) {
            return PreparedStep.decided(failWithoutRunning(current, e));
        }
        Job running = JobSteps.running(current, step.name, RuntimeFields.CURRENT_STEP, IntNode.valueOf(step.index));
        return PreparedStep.toRun(workflow, step, running, attemptOf(current), queueWaitNanos(current));
    }

    /**
     * The outcome of a step its store refused to start ({@link dev.ergate.spi.JobStore#startStep}):
     * CANCELLED for {@link StepStart#CANCEL_REQUESTED}, SKIPPED for {@link StepStart#ALREADY_FINAL}.
     *
     * @param step the prepared step
     * @param answer the store's answer, not {@link StepStart#STARTED}
     * @return the outcome
     */
    public StepResult notStarted(PreparedStep step, StepStart answer) {
        if (answer == StepStart.STARTED) {
            throw new IllegalArgumentException("the step of job " + step.running().id() + " started: execute it");
        }
        return answer == StepStart.CANCEL_REQUESTED ? cancel(step.running()) : StepResult.skipped();
    }

    /**
     * Runs a prepared step, its RUNNING state recorded, through the interceptors, on the calling
     * thread (or a timeout thread for a step with a timeout) with the job's MDC keys set.
     *
     * @param step a step to run ({@link PreparedStep#runs()})
     * @return the step's result: the new state and the job to put next; never throws for a
     *     problem of the job or its step (those end in a FAILED result)
     * @throws IllegalStateException if no step is to run
     */
    public StepResult execute(PreparedStep step) {
        if (callerSetsMdc || !mdc) {
            return run(step);
        }
        StepMdc mdc = new StepMdc();
        mdc.enter(step.running(), step.stepName(), step.attempt());
        try {
            return run(step);
        } finally {
            mdc.exit();
        }
    }

    /**
     * Tells the listeners a step started; call it once its RUNNING state is recorded.
     *
     * @param running the RUNNING state
     */
    public void notifyStarted(Job running) {
        listeners.stepStarted(running);
    }

    /**
     * Tells the listeners how a delivery ended ({@code stepFinished}, and {@code jobFailed} for a
     * FAILED job); call it once the new state is recorded. Nothing is told of a SKIPPED one.
     *
     * @param result the result as recorded
     */
    public void notifyFinished(StepResult result) {
        if (result.outcome() == StepResult.Outcome.SKIPPED) {
            return;
        }
        listeners.stepFinished(result);
        Job state = result.stateOrNull();
        Throwable error = result.errorOrNull();
        if (result.outcome() == StepResult.Outcome.FAILED && state != null && error != null) {
            listeners.jobFailed(state, error);
        }
    }

    /** {@return every registered listener, as one} */
    ErgateListener listeners() {
        return listeners;
    }

    /** The result for a job to be cancelled instead of run: CANCELLED, not re-queued. */
    StepResult cancel(Job job) {
        return StepResult.cancelled(withId(job).toBuilder().status(JobStatus.CANCELLED).stepName(null).build());
    }

    /**
     * The result for a job given up on without running, such as a poison message: FAILED with the
     * reason in {@code exception_traceback}.
     */
    StepResult fail(Job job, String reason) {
        return failWithoutRunning(withId(job), new ErgateException(reason));
    }

    private StepResult failWithoutRunning(Job job, ErgateException error) {
        LOG.warn("Job {} of workflow '{}' fails without running: {}", job.id(), job.workflowName(), error.getMessage());
        Job failed = job.toBuilder().status(JobStatus.FAILED).stepName(null)
                .exceptionTraceback(traceback(error)).build();
        return StepResult.failedWithoutRunning(failed, error);
    }

    /**
     * How long the job waited since it became due: since the later of when it was queued ({@value
     * RuntimeFields#QUEUED_AT}) and its {@code requested_start_time}; 0 when it holds neither.
     */
    private long queueWaitNanos(Job job) {
        long due = Long.MIN_VALUE;
        JsonNode queuedAt = job.extraField(RuntimeFields.QUEUED_AT);
        if (queuedAt != null && queuedAt.canConvertToLong()) {
            due = queuedAt.longValue();
        }
        Instant start = job.requestedStartTime();
        if (start != null) {
            due = Math.max(due, start.toEpochMilli());
        }
        if (due == Long.MIN_VALUE) {
            return 0;
        }
        long waited = clock.millis() - due;
        return waited <= 0 ? 0 : TimeUnit.MILLISECONDS.toNanos(waited);
    }

    private static Job withId(Job job) {
        return job.id() == null ? job.toBuilder().id(JobId.random()).build() : job;
    }

    private static StepDefinition nextStep(Workflow workflow, Job job) {
        JsonNode current = job.extraField(RuntimeFields.CURRENT_STEP);
        if (current != null && !current.isNull()) {
            if (!current.canConvertToInt() || !current.isIntegralNumber()) {
                throw new ErgateException("job " + job.id() + ": current_step must be a step index, got " + current);
            }
            int index = current.intValue();
            if (index < 0 || index >= workflow.steps().size()) {
                throw new UnknownStepException("job " + job.id() + ": workflow '" + workflow.name() + "' has no step number "
                        + index + " (current_step); it has " + workflow.steps().size() + " steps " + workflow.stepNames());
            }
            return workflow.steps().get(index);
        }
        String stepName = job.stepName();
        if (stepName != null) {
            return workflow.step(stepName).orElseThrow(() -> new UnknownStepException("job " + job.id() + ": workflow '"
                    + workflow.name() + "' has no step '" + stepName + "' (its steps: " + workflow.stepNames() + ")"));
        }
        int index = job.stepsCompleted();
        if (index >= workflow.steps().size()) {
            throw new UnknownStepException("job " + job.id() + ": workflow '" + workflow.name() + "' has only "
                    + workflow.steps().size() + " steps, but the job has completed " + index + " and is not final");
        }
        return workflow.steps().get(index);
    }

    /** The job names a step this worker's version of its workflow does not have. */
    private static final class UnknownStepException extends ErgateException {
        private static final long serialVersionUID = 1L;

        UnknownStepException(String message) {
            super(message);
        }
    }

    private static int attemptOf(Job job) {
        JsonNode attempt = job.extraField(RuntimeFields.ATTEMPT);
        if (attempt != null && attempt.canConvertToInt() && attempt.intValue() >= 1) {
            return attempt.intValue();
        }
        return 1;
    }

    private StepResult run(PreparedStep prepared) {
        Workflow workflow = prepared.workflow();
        StepDefinition step = prepared.definition();
        Job running = prepared.running();
        int attempt = prepared.attempt();
        long queueWait = prepared.queueWaitNanos();
        StepScope scope = new StepScope(converter, workflow, step, running, attempt, dependencies);
        long started = System.nanoTime();
        Object returned;
        try {
            returned = call(workflow, step, scope);
        } catch (FlowControl control) {
            returned = control;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failure(workflow, step, running, attempt, e, System.nanoTime() - started, queueWait);
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
            return failure(workflow, step, running, attempt, e, System.nanoTime() - started, queueWait);
        }
        long ran = System.nanoTime() - started;
        try {
            return success(workflow, step, running, returned, ran, queueWait);
        } catch (ErgateException e) {
            return failure(workflow, step, running, attempt, e, ran, queueWait);
        }
    }

    private @Nullable Object call(Workflow workflow, StepDefinition step, StepScope scope) throws Exception {
        Duration timeout = step.timeout;
        if (timeout == null) {
            return callAndClose(step, scope);
        }
        Future<Object> future = timeoutExecutor().submit(() -> callOnTimeoutThread(step, scope));
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

    /** A timeout thread has no MDC of its own: the job's keys are set around the step there too. */
    private @Nullable Object callOnTimeoutThread(StepDefinition step, StepScope scope) throws Exception {
        StepMdc keys = new StepMdc(mdc);
        keys.enter(scope.job(), step.name, scope.attempt());
        try {
            return callAndClose(step, scope);
        } finally {
            keys.exit();
        }
    }

    private @Nullable Object callAndClose(StepDefinition step, StepScope scope) throws Exception {
        Throwable failure = null;
        try {
            return interceptors.length == 0 ? step.invoker.invoke(scope) : new Chain(step, scope).proceed();
        } catch (Exception | Error e) {
            failure = e instanceof FlowControl ? null : e; // a GoToStep or GoToEnd is not a failure
            throw e;
        } finally {
            scope.closeAll(failure);
        }
    }

    /** The interceptors, outermost first, then the step; made per step only when interceptors are registered. */
    private final class Chain implements StepInterceptor.Proceed {
        private final StepDefinition step;
        private final StepScope scope;
        private final StepInvocation invocation;
        private int next;

        Chain(StepDefinition step, StepScope scope) {
            this.step = step;
            this.scope = scope;
            this.invocation = new StepInvocation(scope.job(), step.name, scope.attempt());
        }

        @Override
        public @Nullable Object proceed() throws Exception {
            int index = next++;
            if (index < interceptors.length) {
                return interceptors[index].intercept(invocation, this);
            }
            if (index > interceptors.length) {
                throw new IllegalStateException("an interceptor called proceed() more than once for step '"
                        + step.name + "' of job " + scope.job().id());
            }
            return step.invoker.invoke(scope);
        }
    }

    private ExecutorService timeoutExecutor() {
        synchronized (timeoutLock) {
            if (timeoutExecutor == null) {
                timeoutExecutor = Executors.newCachedThreadPool(DaemonThreads.factory("ergate-timed-step"));
            }
            return timeoutExecutor;
        }
    }

    private StepResult success(Workflow workflow, StepDefinition step, Job running, @Nullable Object returned,
            long ran, long queueWait) {
        if (returned instanceof AbortJob abort) {
            Job aborted = running.toBuilder().status(JobStatus.ABORTED).stepName(null)
                    .exceptionTraceback(abort.getMessage())
                    .extraField(RuntimeFields.ATTEMPT, null)
                    .extraField(RuntimeFields.STARTS, null)
                    .extraField(RuntimeFields.QUEUED_AT, null).build();
            return StepResult.aborted(running, aborted, ran, queueWait);
        }
        if (returned instanceof GoToEnd end) {
            return completed(running, json(workflow, step, end.value()), ran, queueWait);
        }
        if (returned instanceof GoToStep jump) {
            StepDefinition target = workflow.step(jump.step()).orElseThrow(() -> new ErgateException("step '"
                    + step.name + "' of workflow '" + workflow.name() + "' asked to go to step '" + jump.step()
                    + "', which does not exist (its steps: " + workflow.stepNames() + ")"));
            if (target.index <= step.index) {
                throw new ReverseGoToException(workflow.name(), step.name, jump.step());
            }
            return continued(workflow, running, target.index, json(workflow, step, jump.value()), ran, queueWait);
        }
        JsonNode value = json(workflow, step, returned);
        if (step.index + 1 >= workflow.steps().size()) {
            return completed(running, value, ran, queueWait);
        }
        return continued(workflow, running, step.index + 1, value, ran, queueWait);
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

    private static StepResult completed(Job running, JsonNode value, long ran, long queueWait) {
        Job done = JobSteps.afterStep(running, JobStatus.COMPLETED, running.stepsCompleted() + 1, 100.0, value,
                RuntimeFields.CURRENT_STEP, null,
                RuntimeFields.ATTEMPT, null,
                RuntimeFields.STARTS, null,
                RuntimeFields.QUEUED_AT, null);
        return StepResult.completed(running, done, ran, queueWait);
    }

    private StepResult continued(Workflow workflow, Job running, int nextIndex, JsonNode value, long ran,
            long queueWait) {
        int completed = running.stepsCompleted() + 1;
        double predicted = (double) completed / (completed + workflow.longestRemainingFrom(nextIndex)) * 100.0;
        double percent = Math.min(100.0, Math.max(running.percentCompleted(), predicted));
        Job state = JobSteps.afterStep(running, afterStepStatus, completed, percent, value,
                RuntimeFields.CURRENT_STEP, IntNode.valueOf(nextIndex),
                RuntimeFields.ATTEMPT, null,
                RuntimeFields.STARTS, null,
                RuntimeFields.QUEUED_AT, queuedAtNow());
        return StepResult.continued(running, state, requeue(state), ran, queueWait);
    }

    /**
     * {@return the clock's millisecond as a {@value RuntimeFields#QUEUED_AT} value}, the same node
     * for every step queued within one millisecond: a JSON number is immutable, and a new one per
     * step is one more object that each job waiting in a backlog holds (and the young GC copies),
     * and one more cache miss when the job is taken. Read and written without a lock: the node is
     * immutable (final fields), a race only makes one more.
     */
    private LongNode queuedAtNow() {
        long now = clock.millis();
        LongNode last = lastQueuedAt;
        if (last != null && last.longValue() == now) {
            return last;
        }
        LongNode made = LongNode.valueOf(now);
        lastQueuedAt = made;
        return made;
    }

    private @Nullable Job requeue(Job state) {
        return afterStepStatus == JobStatus.QUEUED ? state : null;
    }

    private StepResult failure(Workflow workflow, StepDefinition step, Job running, int attempt, Throwable error,
            long ran, long queueWait) {
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
                    .extraField(RuntimeFields.ATTEMPT, IntNode.valueOf(attempt + 1))
                    .extraField(RuntimeFields.STARTS, null)
                    .build();
            return StepResult.retryScheduled(running, retry, requeue(retry), error, ran, queueWait);
        }
        LOG.info("Step '{}' of workflow '{}' failed job {}: {}", step.name, workflow.name(), running.id(), error.toString());
        Job failed = running.toBuilder()
                .status(JobStatus.FAILED)
                .stepName(null)
                .exceptionTraceback(traceback(error))
                .build();
        return StepResult.failed(running, failed, error, ran, queueWait);
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

    /** {@return the throwable's Java stack trace, as {@code exception_traceback} holds it} */
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
            LOG.warn("An {} threw; ignored", what, e);
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
        private final List<StepInterceptor> interceptors = new ArrayList<>();
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private boolean callerSetsMdc;
        private boolean mdc = true;

        private Builder() {
        }

        /**
         * @param interceptor wraps every step invocation, on the thread that runs the step; the
         *     first registered is the outermost
         * @return this builder
         */
        public Builder interceptor(StepInterceptor interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /** The caller sets the MDC keys around the whole delivery (the worker does), so {@link #execute} does not. */
        Builder callerSetsMdc() {
            this.callerSetsMdc = true;
            return this;
        }

        /** @param on false to set no MDC keys at all @return this builder */
        Builder mdc(boolean on) {
            this.mdc = on;
            return this;
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

        /** {@return the runner} */
        public JobRunner build() {
            return new JobRunner(this);
        }
    }
}
