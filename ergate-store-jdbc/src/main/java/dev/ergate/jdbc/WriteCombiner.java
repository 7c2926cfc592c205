package dev.ergate.jdbc;

import dev.ergate.JobId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Set;

/**
 * Group commit: worker threads writing at the same time share one statement, so one round trip
 * and one commit (for a durable commit, one disk flush) instead of one each. The queue uses it
 * for step finishes.
 *
 * <p>A thread that arrives while no batch runs becomes the leader: it takes its own write and
 * every write waiting (up to {@value #MAX_BATCH}, one per job) and runs them through the {@link
 * Batch} as one statement. Threads that arrive while it runs wait; when it is done, those whose
 * write it carried return, and one of the others leads the next batch with everything that piled
 * up meanwhile. No thread waits for a timer: with a single worker every write is a batch of one
 * and costs what it did before. Every caller returns only once its own write is settled:
 * committed, or failed with nothing written.
 *
 * <p>Thread-safe.
 */
final class WriteCombiner<T extends PendingWrite> {

    /** Writes per statement at most, to bound the statement's size and the rows it locks. */
    static final int MAX_BATCH = 64;

    /** Writes one batch; implemented by the queue. */
    interface Batch<T extends PendingWrite> {

        /**
         * Writes them in one statement and settles each (written, refused, or failed). Should not
         * throw; an exception thrown anyway fails every write left unsettled.
         */
        void run(List<T> writes);

        /** Runs after the batch's callers were released, on the leader's thread. */
        default void afterCommit(List<T> writes) {
        }
    }

    private final Batch<T> batch;
    private final Object lock = new Object();
    private final LinkedList<T> waiting = new LinkedList<>();
    private boolean leading;

    WriteCombiner(Batch<T> batch) {
        this.batch = batch;
    }

    /**
     * Writes {@code write}, in a statement shared with concurrent callers, and returns once it
     * has committed.
     *
     * @throws RuntimeException what made this write fail; nothing of it was written
     */
    void write(T write) {
        boolean interrupted = false;
        boolean lead;
        synchronized (lock) {
            waiting.add(write);
            while (leading && !write.isSettled()) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    // the write may be in the running statement: its outcome must be awaited, not guessed
                    interrupted = true;
                }
            }
            lead = !write.isSettled();
            if (lead) {
                leading = true;
            }
        }
        try {
            if (lead) {
                lead(write);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        write.outcome();
    }

    /** @return how many writes wait for a batch now (for tests and diagnostics) */
    int waiting() {
        synchronized (lock) {
            return waiting.size();
        }
    }

    private void lead(T own) {
        List<T> taken = List.of();
        try {
            synchronized (lock) {
                taken = takeBatch(own);
            }
            batch.run(taken);
        } catch (RuntimeException | Error e) {
            RuntimeException failure = e instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("write failed: " + e, e);
            for (T write : taken) {
                if (!write.isSettled()) {
                    write.fail(failure);
                }
            }
            if (e instanceof Error error) {
                release();
                throw error;
            }
        }
        release();
        batch.afterCommit(taken);
    }

    private void release() {
        synchronized (lock) {
            if (leading) {
                leading = false;
                lock.notifyAll();
            }
        }
    }

    /**
     * @return {@code own} first, then the waiting writes in arrival order, skipping any for a
     *     job already in the batch (it stays waiting for the next one), at most {@link #MAX_BATCH}
     */
    private List<T> takeBatch(T own) {
        waiting.remove(own);
        List<T> taken = new ArrayList<>(Math.min(MAX_BATCH, waiting.size() + 1));
        Set<JobId> jobs = new HashSet<>();
        taken.add(own);
        jobs.add(own.jobId());
        for (Iterator<T> it = waiting.iterator(); it.hasNext() && taken.size() < MAX_BATCH; ) {
            T write = it.next();
            if (jobs.add(write.jobId())) {
                taken.add(write);
                it.remove();
            }
        }
        return taken;
    }
}
