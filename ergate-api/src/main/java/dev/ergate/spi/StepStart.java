package dev.ergate.spi;

import dev.ergate.Job;
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
    ALREADY_FINAL,

    /**
     * The stored job is further on than the delivery ({@link WriteFence}): the delivery is a
     * duplicate or comes from a chain that lost; nothing was written, and the worker acknowledges
     * it without running anything.
     */
    STALE;

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

    /**
     * The whole rule of {@link JobStore#startStep}, fence included: over a final job {@link
     * #CANCEL_REQUESTED} (CANCELLED) or {@link #ALREADY_FINAL}; then {@link #STALE} when {@link
     * WriteFence#refuses} the RUNNING state; then {@link #CANCEL_REQUESTED} over CANCELLING; else
     * {@link #STARTED}.
     *
     * @param stored the stored job
     * @param running the RUNNING state about to be written
     * @return what starting the step gives
     */
    public static StepStart over(Job stored, Job running) {
        JobStatus status = stored.status();
        if (status.isFinal()) {
            return over(status);
        }
        if (WriteFence.refuses(stored, running)) {
            return STALE;
        }
        return over(status);
    }
}
