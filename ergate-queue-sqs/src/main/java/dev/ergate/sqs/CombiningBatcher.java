package dev.ergate.sqs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Sends single requests from many threads as batch calls, without a thread of its own and
 * without adding latency: a caller that finds no batch in flight sends at once (with whatever
 * else is waiting, up to the batch size); callers that arrive while a batch is in flight wait
 * and go out together in the next one. Each {@link #submit} returns once its own item was sent,
 * and throws that item's failure.
 *
 * <p>Thread-safe.
 *
 * @param <T> the item type
 */
final class CombiningBatcher<T> {

    /** Sends one batch. */
    @FunctionalInterface
    interface BatchCall<T> {
        /**
         * @param items 1 to the batch size items
         * @return for each item, in order, its failure or null when it succeeded
         */
        List<@Nullable RuntimeException> send(List<T> items);
    }

    private static final class Entry<T> {
        final T item;
        boolean done;
        @Nullable RuntimeException failure;

        Entry(T item) {
            this.item = item;
        }
    }

    private final int maxBatch;
    private final BatchCall<T> call;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition batchDone = lock.newCondition();
    private final ArrayDeque<Entry<T>> pending = new ArrayDeque<>();
    private boolean flushing;

    CombiningBatcher(int maxBatch, BatchCall<T> call) {
        this.maxBatch = maxBatch;
        this.call = call;
    }

    /**
     * Sends the item, in a batch with others when they arrive at the same time.
     *
     * @throws RuntimeException the item's failure
     */
    void submit(T item) {
        Entry<T> entry = new Entry<>(item);
        lock.lock();
        try {
            pending.add(entry);
            while (!entry.done) {
                if (flushing) {
                    batchDone.awaitUninterruptibly();
                    continue;
                }
                flushing = true;
                List<Entry<T>> batch = new ArrayList<>(maxBatch);
                while (batch.size() < maxBatch && !pending.isEmpty()) {
                    batch.add(pending.poll());
                }
                lock.unlock();
                try {
                    sendBatch(batch);
                } finally {
                    lock.lock();
                    flushing = false;
                    batchDone.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
        if (entry.failure != null) {
            throw entry.failure;
        }
    }

    private void sendBatch(List<Entry<T>> batch) {
        List<T> items = new ArrayList<>(batch.size());
        for (Entry<T> e : batch) {
            items.add(e.item);
        }
        List<@Nullable RuntimeException> failures;
        try {
            failures = call.send(items);
        } catch (RuntimeException e) {
            failures = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                failures.add(e);
            }
        }
        lock.lock();
        try {
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).failure = i < failures.size() ? failures.get(i) : null;
                batch.get(i).done = true;
            }
        } finally {
            lock.unlock();
        }
    }
}
