package dev.ergate.spi;

import dev.ergate.Job;
import dev.ergate.JobStatus;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a {@link JobAdmin} repair writes, shared by every backend so that a retry means the same
 * thing everywhere. Stateless.
 */
public final class JobRepairs {

    /** The statuses {@link JobAdmin#retryJob} accepts. */
    public static final Set<JobStatus> RETRYABLE = Set.copyOf(
            EnumSet.of(JobStatus.FAILED, JobStatus.ABORTED, JobStatus.CANCELLED));

    /** The extra field holding a step's retry attempt ({@link dev.ergate.RuntimeFields#ATTEMPT}). */
    public static final String ATTEMPT_FIELD = dev.ergate.RuntimeFields.ATTEMPT;

    private JobRepairs() {
    }

    /**
     * @param status a job's status
     * @return whether {@link JobAdmin#retryJob} takes a job in it
     */
    public static boolean isRetryable(JobStatus status) {
        return RETRYABLE.contains(status);
    }

    /**
     * The state a retried job is written and queued with: QUEUED, no step running, no traceback,
     * no start time, the retry attempt reset. Where to resume ({@code current_step}, else {@code
     * step_name}, else {@code steps_completed}) is kept, so it runs again from the step it ended at.
     *
     * @param ended a FAILED, ABORTED or CANCELLED job
     * @return its retried state
     * @throws IllegalArgumentException if the job is in another status
     */
    public static Job retried(Job ended) {
        if (!isRetryable(ended.status())) {
            throw new IllegalArgumentException("job " + ended.id() + " is " + ended.status()
                    + "; only " + RETRYABLE + " jobs can be retried");
        }
        return ended.toBuilder()
                .status(JobStatus.QUEUED)
                .exceptionTraceback(null)
                .requestedStartTime(null)
                .extraField(ATTEMPT_FIELD, null)
                .build();
    }
}
