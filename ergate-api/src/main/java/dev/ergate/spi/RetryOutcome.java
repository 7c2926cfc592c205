package dev.ergate.spi;

/** What {@link JobAdmin#retryJob} did. */
public enum RetryOutcome {
    /** The job was written QUEUED and put on the queue. */
    RETRIED,
    /** The store has no job with that id. */
    NOT_FOUND,
    /** The job is not FAILED, ABORTED or CANCELLED; nothing was changed. */
    NOT_RETRYABLE
}
