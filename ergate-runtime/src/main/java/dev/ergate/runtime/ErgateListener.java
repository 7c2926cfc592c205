package dev.ergate.runtime;

import dev.ergate.Job;

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
     * A step ended, whatever the outcome (also when it failed, aborted or will be retried).
     *
     * @param result the outcome and the job's new state
     */
    default void stepFinished(StepResult result) {
    }

    /**
     * A job ended FAILED: a step threw (and its retries are spent), or its workflow or step is
     * unknown, or it kept killing its workers.
     *
     * @param failed the job's final state
     * @param error why
     */
    default void jobFailed(Job failed, Throwable error) {
    }
}
