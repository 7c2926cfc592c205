package dev.ergate.spi;

import dev.ergate.JobId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Optional capability of a backend: what an operator needs after an incident (DESIGN.md, "The
 * admin SPI"). Every built-in backend hands one out ({@code backend.admin()}); an operation a
 * backend can't do is left out of {@link #operations()} and throws {@link
 * UnsupportedOperationException}, so tools show it missing, never faked. Implementations are thread-safe.
 */
public interface JobAdmin {

    /** What an admin may be able to do; {@link #operations()} says which ones it can. */
    enum Operation {
        /** {@link #countJobs()} */
        COUNT_JOBS,
        /** {@link #listJobs(JobFilter)} and {@link #findJob(JobId)} */
        LIST_JOBS,
        /** {@link #history(JobId)}: the store keeps every transition of a job */
        JOB_HISTORY,
        /** {@link #cancelJob(JobId)} */
        CANCEL_JOB,
        /** {@link #retryJob(JobId)} */
        RETRY_JOB,
        /** {@link #deleteJob(JobId)} */
        DELETE_JOB,
        /** {@link #purgeJobs(Instant)} */
        PURGE_JOBS,
        /** {@link #listDeadLetters(DeadLetterFilter)} without taking them off their queue */
        LIST_DEAD_LETTERS,
        /** {@link #requeueDeadLetter(String)} and {@link #requeueDeadLetters(DeadLetterFilter)} */
        REQUEUE_DEAD_LETTERS,
        /** {@link #purgeDeadLetters(Instant)} */
        PURGE_DEAD_LETTERS,
        /** {@link #tryRetentionLease(String, Duration)}: a lease held in the backend, shared by every worker */
        RETENTION_LEASE
    }

    /** {@return the operations this admin can do; the others throw UnsupportedOperationException} */
    Set<Operation> operations();

    /**
     * @param operation an operation
     * @return whether this admin can do it
     */
    default boolean supports(Operation operation) {
        return operations().contains(operation);
    }

    /**
     * {@return how many jobs the store holds, by workflow and status}
     * @throws ErgateBackendException if the backend fails
     */
    default JobCounts countJobs() {
        throw unsupported(Operation.COUNT_JOBS);
    }

    /**
     * Lists jobs page by page. Walking every page from the first returns every matching job
     * once, also while jobs are written (a job changed during the walk may or may not show up).
     *
     * @param filter the filters, page size and where to continue
     * @return one page, in the store's stable order
     * @throws IllegalArgumentException if the cursor did not come from this admin
     * @throws ErgateBackendException if the backend fails
     */
    default CursorPage<StoredJob> listJobs(JobFilter filter) {
        throw unsupported(Operation.LIST_JOBS);
    }

    /**
     * @param id a job id
     * @return the job's last state and when it was written, or empty if unknown
     * @throws ErgateBackendException if the backend fails
     */
    default Optional<StoredJob> findJob(JobId id) {
        throw unsupported(Operation.LIST_JOBS);
    }

    /**
     * @param id a job id
     * @return every recorded transition of the job, oldest first (empty for an unknown job)
     * @throws UnsupportedOperationException if the store keeps no history
     * @throws ErgateBackendException if the backend fails
     */
    default List<JobEvent> history(JobId id) {
        throw unsupported(Operation.JOB_HISTORY);
    }

    /**
     * Asks for the job to be cancelled, as {@link JobStore#requestCancel} does.
     *
     * @param id the job
     * @return true if the job is now CANCELLING (or already was), false if unknown or final
     * @throws ErgateBackendException if the backend fails
     */
    default boolean cancelJob(JobId id) {
        throw unsupported(Operation.CANCEL_JOB);
    }

    /**
     * Runs a FAILED, ABORTED or CANCELLED job again from the step it ended at: its retry attempt
     * is reset, it is written QUEUED (a history records the change) and put on the queue.
     *
     * @param id the job
     * @return what happened
     * @throws ErgateBackendException if the backend fails
     */
    default RetryOutcome retryJob(JobId id) {
        throw unsupported(Operation.RETRY_JOB);
    }

    /**
     * Deletes the job's state (and its history); a message of it still on a queue is not touched.
     *
     * @param id the job
     * @return true if there was a job to delete
     * @throws ErgateBackendException if the backend fails
     */
    default boolean deleteJob(JobId id) {
        throw unsupported(Operation.DELETE_JOB);
    }

    /**
     * Deletes the jobs in a final status (COMPLETED, FAILED, ABORTED, CANCELLED) last written
     * before {@code cutoff}, with their history.
     *
     * @param cutoff the time before which final jobs go
     * @return how many were deleted
     * @throws ErgateBackendException if the backend fails
     */
    default long purgeJobs(Instant cutoff) {
        throw unsupported(Operation.PURGE_JOBS);
    }

    /**
     * Lists dead letters page by page, in a stable order: walking every page returns each one
     * that stays through the walk once.
     *
     * @param filter the filters, page size and where to continue
     * @return one page
     * @throws IllegalArgumentException if the cursor did not come from this admin
     * @throws ErgateBackendException if the backend fails
     */
    default CursorPage<DeadLetter> listDeadLetters(DeadLetterFilter filter) {
        throw unsupported(Operation.LIST_DEAD_LETTERS);
    }

    /**
     * Puts a dead letter's body back on its source queue and removes the record. A body that still
     * is not a job stays, and the result says why. When the store holds the job in a final status,
     * its state is set back to QUEUED so a worker runs it.
     *
     * @param id the dead letter's {@link DeadLetter#id()}
     * @return what was requeued and what was kept (an unknown id is neither)
     * @throws ErgateBackendException if the backend fails
     */
    default RequeueResult requeueDeadLetter(String id) {
        throw unsupported(Operation.REQUEUE_DEAD_LETTERS);
    }

    /**
     * Requeues, as {@link #requeueDeadLetter(String)} does, every dead letter the filter matches
     * (its page size and cursor are ignored).
     *
     * @param filter which dead letters
     * @return what was requeued and what was kept
     * @throws ErgateBackendException if the backend fails
     */
    default RequeueResult requeueDeadLetters(DeadLetterFilter filter) {
        throw unsupported(Operation.REQUEUE_DEAD_LETTERS);
    }

    /**
     * @param cutoff the time before which dead letters go
     * @return how many dead letters given up on before {@code cutoff} were deleted
     * @throws ErgateBackendException if the backend fails
     */
    default long purgeDeadLetters(Instant cutoff) {
        throw unsupported(Operation.PURGE_DEAD_LETTERS);
    }

    /**
     * Takes or renews the retention lease: one worker at a time applies the retention policy. The
     * lease is held in the backend, so workers on other machines see it.
     *
     * @param owner who asks (a worker id); the holder may renew it
     * @param duration how long the lease lasts unless renewed
     * @return true if {@code owner} holds the lease now
     * @throws ErgateBackendException if the backend fails
     */
    default boolean tryRetentionLease(String owner, Duration duration) {
        throw unsupported(Operation.RETENTION_LEASE);
    }

    /**
     * @param operation the operation that is missing
     * @return the exception a default method throws, naming the admin and the operation
     */
    default UnsupportedOperationException unsupported(Operation operation) {
        return new UnsupportedOperationException(this + " can't do " + operation
                + " (it can do " + operations() + ")");
    }
}
