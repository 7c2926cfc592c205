package dev.ergate.runtime;

import dev.ergate.ErgateException;
import dev.ergate.JobId;

/**
 * A submit with a unique key and {@link Submission#failIfExists()} found the key held by another
 * job; nothing was submitted. Without {@code failIfExists()} the submit returns that job's id
 * instead of throwing.
 */
public final class DuplicateJobException extends ErgateException {

    private static final long serialVersionUID = 1L;

    private final String uniqueKey;
    private final JobId existingId;

    DuplicateJobException(String workflowName, String uniqueKey, JobId existingId) {
        super("a job of '" + workflowName + "' with unique key '" + uniqueKey + "' already exists: " + existingId
                + "; nothing was submitted");
        this.uniqueKey = uniqueKey;
        this.existingId = existingId;
    }

    /** {@return the key that was held} */
    public String uniqueKey() {
        return uniqueKey;
    }

    /** {@return the id of the job holding the key} */
    public JobId existingId() {
        return existingId;
    }
}
