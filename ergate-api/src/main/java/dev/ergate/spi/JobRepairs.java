package dev.ergate.spi;

import dev.ergate.Job;
import dev.ergate.JobStatus;
import java.util.Objects;
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

    /**
     * Puts a retried job (already written QUEUED) on a queue of another backend; when the put
     * fails, {@code restore} writes the job back as it was before the retry, so a failed retry
     * leaves a job that can be retried again rather than one that reads QUEUED with no message.
     *
     * @param queue the queue retried jobs go to
     * @param retried the job as {@link #retried} made it
     * @param restore writes the ended state back; runs only when the put throws
     * @throws RuntimeException what the put threw, after {@code restore} ran
     */
    public static void putOrRestore(JobQueue queue, Job retried, Runnable restore) {
        Objects.requireNonNull(restore, "restore");
        try {
            queue.put(retried);
        } catch (RuntimeException e) {
            restore.run();
            throw e;
        }
    }
}
