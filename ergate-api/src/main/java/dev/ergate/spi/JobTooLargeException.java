package dev.ergate.spi;

import dev.ergate.ErgateException;
import dev.ergate.JobId;
import org.jspecify.annotations.Nullable;

/**
 * A job's JSON is larger than the backend can carry. Thrown by {@link JobQueue#put} before
 * anything is sent, so nothing is half-written.
 */
public final class JobTooLargeException extends ErgateException {

    private static final long serialVersionUID = 1L;

    private final @Nullable JobId jobId;
    private final long sizeBytes;
    private final long limitBytes;

    /**
     * @param jobId the job refused (null if it has no id yet)
     * @param workflowName its workflow
     * @param sizeBytes its encoded size
     * @param limitBytes the backend's limit
     */
    public JobTooLargeException(@Nullable JobId jobId, String workflowName, long sizeBytes, long limitBytes) {
        super("job " + jobId + " of workflow '" + workflowName + "' is " + sizeBytes
                + " bytes as JSON, over the queue's limit of " + limitBytes + " bytes");
        this.jobId = jobId;
        this.sizeBytes = sizeBytes;
        this.limitBytes = limitBytes;
    }

    /** {@return the refused job's id, or null if it had none} */
    public @Nullable JobId jobId() {
        return jobId;
    }

    /** {@return the job's encoded size in bytes} */
    public long sizeBytes() {
        return sizeBytes;
    }

    /** {@return the backend's limit in bytes} */
    public long limitBytes() {
        return limitBytes;
    }
}
