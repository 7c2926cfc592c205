package dev.ergate.runtime;

import dev.ergate.Job;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@link JobRunner#runStep} did with one job: the outcome, the RUNNING state written before
 * the step (if one ran), the job's new state to write to the store, and the job to put on the
 * queue for its next step (if any; its {@code requested_start_time} carries any retry delay).
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

    private final Outcome outcome;
    private final @Nullable Job running;
    private final @Nullable Job state;
    private final @Nullable Job next;
    private final @Nullable Throwable error;
    private Duration duration = Duration.ZERO;
    private Duration queueWait = Duration.ZERO;

    StepResult(Outcome outcome, @Nullable Job running, @Nullable Job state, @Nullable Job next,
            @Nullable Throwable error) {
        this.outcome = outcome;
        this.running = running;
        this.state = state;
        this.next = next;
        this.error = error;
    }

    /** @return how the step ended */
    public Outcome outcome() {
        return outcome;
    }

    /** @return the RUNNING state written before the step ran; empty when no step ran */
    public Optional<Job> running() {
        return Optional.ofNullable(running);
    }

    /** @return the job's new state, to write to the store; empty for {@link Outcome#SKIPPED} */
    public Optional<Job> state() {
        return Optional.ofNullable(state);
    }

    /**
     * @return the job to put on the queue for its next step; empty when the job is final, or when
     *     the worker writes PENDING and a publisher re-queues it
     */
    public Optional<Job> next() {
        return Optional.ofNullable(next);
    }

    /** As {@link #state()}, without the {@code Optional}, for the worker's per-step path. */
    @Nullable Job stateOrNull() {
        return state;
    }

    /** As {@link #next()}, without the {@code Optional}, for the worker's per-step path. */
    @Nullable Job nextOrNull() {
        return next;
    }

    /** @return the exception behind a FAILED or RETRY_SCHEDULED outcome */
    public Optional<Throwable> error() {
        return Optional.ofNullable(error);
    }

    /** {@return how long the step's code ran; zero when no step ran} */
    public Duration duration() {
        return duration;
    }

    /** {@return how long the job waited between being queued for this step and the step's start; zero when unknown} */
    public Duration queueWait() {
        return queueWait;
    }

    /** Sets the timings; called once by the runner before the result is published. */
    StepResult withTimings(Duration duration, Duration queueWait) {
        this.duration = duration;
        this.queueWait = queueWait;
        return this;
    }

    @Override
    public String toString() {
        return "StepResult[" + outcome + ", state=" + state + (next == null ? "" : ", next=" + next) + "]";
    }
}
