package dev.ergate.jdbc;

import dev.ergate.JobId;
import org.jspecify.annotations.Nullable;

/**
 * One caller's write of one job, waiting in a {@link WriteCombiner} to be written together with
 * other callers' writes. It is settled exactly once, by the thread that ran the statement holding
 * it: written (with a result), or failed with nothing written.
 *
 * <p>Thread-safe: settled by one thread, read by the thread that waits for it.
 */
abstract class PendingWrite {

    private volatile boolean settled;
    private volatile @Nullable RuntimeException failure;

    /** @return the job written: one statement holds at most one write per job */
    abstract JobId jobId();

    final boolean isSettled() {
        return settled;
    }

    /** Marks it written; subclasses record their result first. */
    final void settle() {
        settled = true;
    }

    /** Nothing was written; the caller gets {@code e}. */
    final void fail(RuntimeException e) {
        failure = e;
        settled = true;
    }

    /** Returns normally when the write is done; throws what made it fail otherwise. */
    final void outcome() {
        if (!settled) {
            throw new IllegalStateException("write of job " + jobId() + " is not settled yet");
        }
        RuntimeException e = failure;
        if (e != null) {
            throw e;
        }
    }
}
