package dev.ergate.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Sends single items from many threads as batch calls, leader/follower, with no thread or timer
 * of its own: a caller that finds no batch in flight sends at once, with everything waiting;
 * callers that arrive meanwhile wait and go together in the next batch. Each caller returns
 * once its own item was sent, and throws that item's failure.
 *
 * @param <T> the item type
 */
public final class Batcher<T> {

    /** Sends one batch. */
    @FunctionalInterface
    public interface Call<T> {
        /**
         * @param items 1 to the batch size items
         * @return for each item, in order, its failure or null when it succeeded (a shorter list
         *     means the rest succeeded); throwing fails every item
         */
        List<? extends @Nullable RuntimeException> send(List<T> items);
    }

    private final int maxBatch;
    private final @Nullable Function<? super T, ?> key;
    private final Call<T> call;
    private final Consumer<List<T>> afterBatch;
    private final Object lock = new Object();
    private final LinkedList<Entry<T>> waiting = new LinkedList<>();
    private boolean leading;

    /**
     * @param maxBatch the most items per call
     * @param call sends a batch
     */
    public Batcher(int maxBatch, Call<T> call) {
        this(maxBatch, null, call, items -> { });
    }

    /**
     * @param maxBatch the most items per call
     * @param key items with equal keys never share a batch (the later one waits for the next);
     *     null for no such rule
     * @param call sends a batch
     * @param afterBatch runs on the leader's thread after the batch's callers were released
     */
    public Batcher(int maxBatch, @Nullable Function<? super T, ?> key, Call<T> call, Consumer<List<T>> afterBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
        }
        this.maxBatch = maxBatch;
        this.key = key;
        this.call = Objects.requireNonNull(call, "call");
        this.afterBatch = Objects.requireNonNull(afterBatch, "afterBatch");
    }

    /**
     * Sends {@code item}, in a batch with others that arrive at the same time, and returns once
     * it was sent. An interrupt does not cut the wait short (the item may be in the batch in
     * flight: its outcome must be awaited, not guessed); it is kept for the caller.
     *
     * @throws RuntimeException the item's failure
     */
    public void submit(T item) {
        Entry<T> entry = new Entry<>(item);
        boolean interrupted = false;
        List<Entry<T>> batch = null;
        synchronized (lock) {
            waiting.add(entry);
            while (leading && !entry.done) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (!entry.done) {
                leading = true;
                batch = takeBatch(entry);
            }
        }
        try {
            if (batch != null) {
                lead(batch);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        RuntimeException failure = entry.failure;
        if (failure != null) {
            throw failure;
        }
    }

    /** {@return how many items wait for a batch now (for tests and diagnostics)} */
    public int waiting() {
        synchronized (lock) {
            return waiting.size();
        }
    }

    private void lead(List<Entry<T>> batch) {
        List<T> items = new ArrayList<>(batch.size());
        for (Entry<T> entry : batch) {
            items.add(entry.item);
        }
        Error error = null;
        List<? extends @Nullable RuntimeException> failures;
        try {
            failures = call.send(items);
        } catch (RuntimeException e) {
            failures = sameFailure(batch.size(), e);
        } catch (Error e) {
            failures = sameFailure(batch.size(), new IllegalStateException("batch call failed: " + e, e));
            error = e;
        }
        synchronized (lock) {
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).failure = i < failures.size() ? failures.get(i) : null;
                batch.get(i).done = true;
            }
            leading = false;
            lock.notifyAll();
        }
        if (error != null) {
            throw error;
        }
        afterBatch.accept(items);
    }

    private static List<RuntimeException> sameFailure(int size, RuntimeException e) {
        List<RuntimeException> failures = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            failures.add(e);
        }
        return failures;
    }

    /** {@return {@code own} first, then waiting items in arrival order, one per key, at most maxBatch} */
    private List<Entry<T>> takeBatch(Entry<T> own) {
        waiting.remove(own);
        List<Entry<T>> taken = new ArrayList<>(Math.min(maxBatch, waiting.size() + 1));
        Set<Object> keys = new HashSet<>();
        taken.add(own);
        if (key != null) {
            keys.add(key.apply(own.item));
        }
        for (Iterator<Entry<T>> it = waiting.iterator(); it.hasNext() && taken.size() < maxBatch; ) {
            Entry<T> entry = it.next();
            if (key == null || keys.add(key.apply(entry.item))) {
                taken.add(entry);
                it.remove();
            }
        }
        return taken;
    }

    /** One caller's item; guarded by the lock. */
    private static final class Entry<T> {
        final T item;
        boolean done;
        @Nullable RuntimeException failure;

        Entry(T item) {
            this.item = item;
        }
    }
}
