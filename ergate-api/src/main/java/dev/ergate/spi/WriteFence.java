package dev.ergate.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ergate.Job;
import dev.ergate.JobStatus;
import dev.ergate.RuntimeFields;
import java.util.Objects;

/**
 * The rule by which a {@link JobStore} refuses a stale write, so a duplicate message or a worker
 * past its lease can never fork a job into two chains or move a final state back. Every write of
 * {@link JobStore#update}, {@link JobStore#startStep} and {@link AtomicStepFinish#finish} is
 * checked against the stored job, atomically with the write (in the script or statement):
 *
 * <p>A job's <em>progress</em> is ({@code steps_completed}, attempt), compared in that order; the
 * attempt is the extra field {@value RuntimeFields#ATTEMPT} (a whole number from 1; absent means
 * 1). Its <em>rank</em> is 0 for SCHEDULED and PENDING, 1 for QUEUED, 2 for RUNNING and
 * CANCELLING, 3 for a final status. A write is refused when
 * <ol>
 *   <li>the stored job is final and the written one is not, or</li>
 *   <li>its progress is lower than the stored one's, or</li>
 *   <li>its progress is equal and its rank lower, or</li>
 *   <li>its progress and rank are equal, and the rank is not 2 (a RUNNING state may be written
 *       again: a delivery after a lost lease runs the step again).</li>
 * </ol>
 * A job the store does not hold is always written. {@link JobStore#replace} is the only write
 * that skips the fence. {@code update} and the finish throw {@link StaleStateException} when they
 * refuse; {@code startStep} answers {@link StepStart#STALE} (after its final and cancel checks).
 *
 * <p>Why each rule: DESIGN.md, "Fenced writes". In SQL the fence is a {@code WHERE} on the
 * update; in Lua a check before {@code write_job}. {@link #refuses} is the reference.
 */
public final class WriteFence {

    private WriteFence() {
    }

    /**
     * @param stored the job the store holds
     * @param written the job about to be written over it
     * @return true when the write must be refused
     */
    public static boolean refuses(Job stored, Job written) {
        Objects.requireNonNull(stored, "stored");
        Objects.requireNonNull(written, "written");
        return refuses(stored.status(), stored.stepsCompleted(), attemptOf(stored),
                written.status(), written.stepsCompleted(), attemptOf(written));
    }

    /**
     * The same rule on the fields a store keeps in columns.
     *
     * @param storedStatus the stored job's status
     * @param storedSteps its {@code steps_completed}
     * @param storedAttempt its attempt ({@link #attemptOf})
     * @param status the written job's status
     * @param steps its {@code steps_completed}
     * @param attempt its attempt
     * @return true when the write must be refused
     */
    public static boolean refuses(JobStatus storedStatus, int storedSteps, int storedAttempt,
            JobStatus status, int steps, int attempt) {
        if (storedStatus.isFinal() && !status.isFinal()) {
            return true;
        }
        int progress = steps != storedSteps ? Integer.compare(steps, storedSteps)
                : Integer.compare(attempt, storedAttempt);
        if (progress != 0) {
            return progress < 0;
        }
        int rank = rank(status);
        int storedRank = rank(storedStatus);
        return rank < storedRank || (rank == storedRank && rank != 2);
    }

    /**
     * @param status a status
     * @return its rank in the fence: 0 SCHEDULED and PENDING, 1 QUEUED, 2 RUNNING and
     *     CANCELLING, 3 final
     */
    public static int rank(JobStatus status) {
        return switch (status) {
            case SCHEDULED, PENDING -> 0;
            case QUEUED -> 1;
            case RUNNING, CANCELLING -> 2;
            case COMPLETED, FAILED, ABORTED, CANCELLED -> 3;
        };
    }

    /**
     * @param job a job
     * @return its attempt: the extra field {@value RuntimeFields#ATTEMPT} when it is a whole
     *     number of at least 1, else 1
     */
    public static int attemptOf(Job job) {
        JsonNode attempt = job.extraField(RuntimeFields.ATTEMPT);
        if (attempt != null && attempt.isIntegralNumber() && attempt.canConvertToInt() && attempt.intValue() >= 1) {
            return attempt.intValue();
        }
        return 1;
    }

    /**
     * A message for {@link StaleStateException}.
     *
     * @param stored the stored job
     * @param written the refused job
     * @return what was refused, and over what
     */
    public static String describe(Job stored, Job written) {
        return "job " + written.id() + ": refused to write " + written.status() + " (steps completed "
                + written.stepsCompleted() + ", attempt " + attemptOf(written) + ") over the stored "
                + stored.status() + " (steps completed " + stored.stepsCompleted() + ", attempt "
                + attemptOf(stored) + "): the writer is stale (a duplicate message or a lost lease)";
    }
}
