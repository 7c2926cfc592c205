package dev.ergate;

/**
 * Names of the extra job fields the Java runtime writes (beside the {@link JobCodec}'s known
 * fields). Python Ergate 2025 writes {@value #CURRENT_STEP} too; it ignores the others, and every
 * adapter carries them unchanged.
 */
public final class RuntimeFields {

    /** The index of the step to run next, as Python Ergate 2025 names it. */
    public static final String CURRENT_STEP = "current_step";

    /** The attempt number of the step to run next, from 1 (absent means 1); set by a retry. */
    public static final String ATTEMPT = "ergate_attempt";

    /**
     * When the runtime put the job on the queue for its next step, in epoch milliseconds; the
     * start of the step's queue wait ({@code StepResult.queueWait()}).
     */
    public static final String QUEUED_AT = "ergate_queued_at";

    /**
     * The job's queue priority, a JSON integer (higher is taken first); absent means 0, and a job
     * of priority 0 is written without it, so Python Ergate sees the same JSON as before.
     * Read and set it with {@link Job#priority()} and {@link Job.Builder#priority(int)}.
     */
    public static final String PRIORITY = "ergate_priority";

    /**
     * The unique key the job was submitted under ({@code Submission.uniqueKey}), a JSON string;
     * informational (stores that keep unique keys hold them on their own).
     */
    public static final String UNIQUE_KEY = "ergate_unique_key";

    /**
     * How many times the step of a RUNNING state was started at this attempt (absent means 1):
     * what counts toward the worker's {@code maxDeliveries}, so a delivery given back before its
     * step started (a store outage) does not.
     */
    public static final String STARTS = "ergate_starts";

    private RuntimeFields() {
    }
}
