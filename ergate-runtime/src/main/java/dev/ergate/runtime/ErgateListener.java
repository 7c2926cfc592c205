package dev.ergate.runtime;

import dev.ergate.Job;
import org.jspecify.annotations.Nullable;

/**
 * Hears what the engine does with jobs. Every method has an empty default, so implement only what
 * you need. A listener that throws is logged and ignored: it never changes a job's outcome.
 *
 * <p>Implementations must be thread-safe: worker threads call them concurrently.
 */
public interface ErgateListener {

    /**
     * A step is about to run; its RUNNING state has been written.
     *
     * @param running the job, status RUNNING, {@code step_name} set
     */
    default void stepStarted(Job running) {
    }

    /**
     * A delivery ended, whatever the outcome (also when it failed, aborted, will be retried, or
     * was cancelled without running), after its new state was written and the delivery settled:
     * the store already holds {@code result.state()}. Not called for a job that was already final.
     *
     * @param result the outcome and the job's new state
     */
    default void stepFinished(StepResult result) {
    }

    /**
     * A job ended FAILED (after {@link #stepFinished}, its state written): a step threw and its
     * retries are spent, its workflow or step is unknown, it kept killing its workers, or it grew
     * too large to queue.
     *
     * @param failed the job's final state
     * @param error why
     */
    default void jobFailed(Job failed, Throwable error) {
    }

    /** The worker started taking jobs. */
    default void workerStarted() {
    }

    /** The worker stopped: its threads are done or were cut off at the drain timeout. */
    default void workerStopped() {
    }

    /**
     * A backend call failed transiently and will be tried again.
     *
     * @param operation what was called, a bounded name such as {@code "take"} or {@code "update"}
     * @param attempt the attempt that failed, from 1
     * @param error why it failed
     */
    default void backendRetried(String operation, int attempt, Throwable error) {
    }

    /**
     * A backend call failed for good: its retries are spent or the failure is not transient.
     *
     * @param operation what was called, a bounded name such as {@code "take"} or {@code "update"}
     * @param error why it failed
     */
    default void backendGaveUp(String operation, Throwable error) {
    }

    /**
     * The worker lost a job's lease while its step ran: another worker may run the step again.
     *
     * @param job the job as the worker last knew it
     */
    default void leaseLost(Job job) {
    }

    /**
     * The worker moved a delivery to the queue's dead-letter place.
     *
     * @param job the job, when the delivery held one that could be read, else {@code null}
     * @param reason why
     */
    default void deliveryDeadLettered(@Nullable Job job, String reason) {
    }

    /**
     * The worker gave a job back to the queue because it was stopping.
     *
     * @param job the job given back
     */
    default void jobReleasedOnShutdown(Job job) {
    }
}
