package dev.ergate.spi;

import dev.ergate.JobStatus;

/**
 * What {@link JobStore#startStep} found when a worker was about to run a job's step.
 */
public enum StepStart {

    /** The RUNNING state was written: run the step. */
    STARTED,

    /**
     * The stored job is CANCELLING or CANCELLED: nothing was written; the worker records it
     * CANCELLED instead of running the step.
     */
    CANCEL_REQUESTED,

    /**
     * The stored job already ended (COMPLETED, FAILED or ABORTED): nothing was written. The
     * delivery is a stale one (a step that ran again after a lost lease, a duplicate message),
     * and the worker acknowledges it without running anything.
     */
    ALREADY_FINAL;

    /**
     * The rule of {@link JobStore#startStep}, for stores that implement it themselves.
     *
     * @param stored the status stored for the job
     * @return what starting a step over a job in that status gives
     */
    public static StepStart over(JobStatus stored) {
        if (stored == JobStatus.CANCELLING || stored == JobStatus.CANCELLED) {
            return CANCEL_REQUESTED;
        }
        return stored.isFinal() ? ALREADY_FINAL : STARTED;
    }
}
