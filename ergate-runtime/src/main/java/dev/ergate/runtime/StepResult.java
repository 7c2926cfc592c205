package dev.ergate.runtime;

import dev.ergate.Job;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What one delivery of a job came to: the outcome, the RUNNING state written before the step (if
 * one ran), the job's new state to write, the job to put for its next step (its {@code
 * requested_start_time} carries any retry delay), and how long the step ran and waited.
 *
 * <p>Immutable and thread-safe.
 */
public final class StepResult {

    /** How the step ended. */
    public enum Outcome {
        /** The job was already final, as delivered or in the store: nothing ran, nothing to write; just acknowledge it. */
        SKIPPED,
        /** The job was CANCELLING: it is now CANCELLED, without running. */
        CANCELLED,
        /** The step returned or jumped: the job goes on to another step. */
        CONTINUED,
        /** The step failed and its retry policy re-queues it after a delay. */
        RETRY_SCHEDULED,
        /** The job ended COMPLETED (last step returned, or {@link GoToEnd}). */
        COMPLETED,
        /** The job ended ABORTED ({@link AbortJob}). */
        ABORTED,
        /** The job ended FAILED. */
        FAILED
    }

    private static final StepResult SKIPPED = new StepResult(Outcome.SKIPPED, null, null, null, null, 0, 0);

    private final Outcome outcome;
    private final @Nullable Job running;
    private final @Nullable Job state;
    private final @Nullable Job next;
    private final @Nullable Throwable error;
    /** Kept as nanoseconds: a {@link Duration} is only made when asked for, not on every step. */
    private final long durationNanos;
    private final long queueWaitNanos;

    private StepResult(Outcome outcome, @Nullable Job running, @Nullable Job state, @Nullable Job next,
            @Nullable Throwable error, long durationNanos, long queueWaitNanos) {
        this.outcome = outcome;
        this.running = running;
        this.state = state;
        this.next = next;
        this.error = error;
        this.durationNanos = durationNanos;
        this.queueWaitNanos = queueWaitNanos;
    }

    /** The job was already final: nothing to run or write. */
    static StepResult skipped() {
        return SKIPPED;
    }

    /** The job was to be cancelled instead of run. */
    static StepResult cancelled(Job cancelled) {
        return new StepResult(Outcome.CANCELLED, null, Objects.requireNonNull(cancelled), null, null, 0, 0);
    }

    /** The job failed without a step running: unknown workflow or step, a poison message, too large to queue. */
    static StepResult failedWithoutRunning(Job failed, Throwable error) {
        return new StepResult(Outcome.FAILED, null, Objects.requireNonNull(failed), null, error, 0, 0);
    }

    /** A step ran and the job goes on; {@code next} is null when a publisher re-queues it (PENDING). */
    static StepResult continued(Job running, Job state, @Nullable Job next, long durationNanos, long queueWaitNanos) {
        return new StepResult(Outcome.CONTINUED, running, state, next, null, durationNanos, queueWaitNanos);
    }

    /** A step failed and is to be tried again. */
    static StepResult retryScheduled(Job running, Job retry, @Nullable Job next, Throwable error, long durationNanos,
            long queueWaitNanos) {
        return new StepResult(Outcome.RETRY_SCHEDULED, running, retry, next, error, durationNanos, queueWaitNanos);
    }

    /** The job ended COMPLETED. */
    static StepResult completed(Job running, Job done, long durationNanos, long queueWaitNanos) {
        return new StepResult(Outcome.COMPLETED, running, done, null, null, durationNanos, queueWaitNanos);
    }

    /** The job ended ABORTED. */
    static StepResult aborted(Job running, Job aborted, long durationNanos, long queueWaitNanos) {
        return new StepResult(Outcome.ABORTED, running, aborted, null, null, durationNanos, queueWaitNanos);
    }

    /** A step ran and the job ended FAILED. */
    static StepResult failed(Job running, Job failed, Throwable error, long durationNanos, long queueWaitNanos) {
        return new StepResult(Outcome.FAILED, running, failed, null, error, durationNanos, queueWaitNanos);
    }

    /** This result with the job FAILED instead of going on (its next state could not be queued), timings kept. */
    StepResult failedAfterRunning(Job failed, Throwable error) {
        return new StepResult(Outcome.FAILED, running, failed, null, error, durationNanos, queueWaitNanos);
    }

    /** {@return how the step ended} */
    public Outcome outcome() {
        return outcome;
    }

    /** {@return the RUNNING state written before the step ran; empty when no step ran} */
    public Optional<Job> running() {
        return Optional.ofNullable(running);
    }

    /** {@return the job's new state, to write to the store; empty for {@link Outcome#SKIPPED}} */
    public Optional<Job> state() {
        return Optional.ofNullable(state);
    }

    /**
     * {@return the job to put on the queue for its next step; empty when the job is final, or
     * when the worker writes PENDING and a publisher re-queues it}
     */
    public Optional<Job> next() {
        return Optional.ofNullable(next);
    }

    /** As {@link #running()}, without the {@code Optional}, for the worker's per-step path. */
    @Nullable Job runningOrNull() {
        return running;
    }

    /** As {@link #state()}, without the {@code Optional}, for the worker's per-step path. */
    @Nullable Job stateOrNull() {
        return state;
    }

    /** As {@link #next()}, without the {@code Optional}, for the worker's per-step path. */
    @Nullable Job nextOrNull() {
        return next;
    }

    /** As {@link #error()}, without the {@code Optional}, for the worker's per-step path. */
    @Nullable Throwable errorOrNull() {
        return error;
    }

    /** {@return the exception behind a FAILED or RETRY_SCHEDULED outcome} */
    public Optional<Throwable> error() {
        return Optional.ofNullable(error);
    }

    /**
     * {@return how long the step's code ran (interceptors, argument conversion and per-step
     * dependencies included); zero when no step ran}
     */
    public Duration duration() {
        return durationNanos == 0 ? Duration.ZERO : Duration.ofNanos(durationNanos);
    }

    /**
     * {@return how long the job waited on the queue for this step: from when it became due (the
     * later of the time the runtime queued it, {@code ergate_queued_at}, and its {@code
     * requested_start_time}) to when the worker took it up; zero when no step ran or neither time
     * is in the job (a job submitted by another producer, without a start time)}
     */
    public Duration queueWait() {
        return queueWaitNanos == 0 ? Duration.ZERO : Duration.ofNanos(queueWaitNanos);
    }

    @Override
    public String toString() {
        return "StepResult[" + outcome + ", state=" + state + (next == null ? "" : ", next=" + next) + "]";
    }
}
