package dev.ergate.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Sends the items that many threads hand in at the same time as one call, leader/follower, with
 * no thread of its own, as {@link Batcher} does, but without a lock: a caller that finds no call
 * in flight sends at once, with whatever waits; callers that arrive meanwhile park, and the
 * first of them to be woken when the call is answered sends them all. Each waiting thread is
 * woken once, when its own outcome is there or to lead the next call, not at every call's end.
 * For calls on a step's hot path (Redis's pipelined finishes and grouped submits), where the
 * {@code Batcher}'s lock and condition cost more than the call saves.
 *
 * <p>With more than one lane, up to that many calls are in flight at once, each from a thread of
 * its own: a caller that finds a lane free sends what waits then, so the backend gets the next
 * batch while it still works on the one before instead of idling through the hand-over.
 *
 * @param <T> the item type
 */
public final class Combiner<T> {

    private final int maxBatch;
    private final String what;
    private final Batcher.Call<T> call;
    /** Items not sent yet, oldest first. */
    private final ConcurrentLinkedQueue<Waiter<T>> waiting = new ConcurrentLinkedQueue<>();
    private final int lanes;
    /** How many threads are sending: at most {@link #lanes}; the others wait. */
    private final AtomicInteger sending = new AtomicInteger();

    /**
     * @param maxBatch the most items per call
     * @param what what a call does, for the failure an {@link Error} in it gives each item
     *     ("finishing the step")
     * @param call sends a batch
     */
    public Combiner(int maxBatch, String what, Batcher.Call<T> call) {
        this(maxBatch, 1, what, call);
    }

    /**
     * @param maxBatch the most items per call
     * @param lanes the most calls in flight at once
     * @param what what a call does, as above
     * @param call sends a batch; with several lanes it runs on several threads at once
     */
    public Combiner(int maxBatch, int lanes, String what, Batcher.Call<T> call) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
        }
        if (lanes < 1) {
            throw new IllegalArgumentException("lanes must be at least 1, got " + lanes);
        }
        this.maxBatch = maxBatch;
        this.lanes = lanes;
        this.what = Objects.requireNonNull(what, "what");
        this.call = Objects.requireNonNull(call, "call");
    }

    /**
     * Returns once {@code item} was sent and answered, by this thread (alone, or leading the ones
     * waiting) or by another. An interrupt does not cut the wait short (the item may be in the
     * call in flight: its outcome must be awaited, not guessed); it is kept for the caller.
     *
     * @param item the item
     * @throws RuntimeException the item's failure, as the call reported or threw it
     */
    public void submit(T item) {
        Waiter<T> self = new Waiter<>(item);
        waiting.add(self);
        boolean interrupted = false;
        while (!self.done) {
            int inFlight = sending.get();
            // a thread whose item another lane took only waits: leading would send nothing of its own
            if (!self.taken && inFlight < lanes && sending.compareAndSet(inFlight, inFlight + 1)) {
                try {
                    if (!self.done) {
                        sendWaiting();
                    }
                } finally {
                    sending.decrementAndGet();
                    // items that came while this thread was sending: wake the oldest to send them
                    // (it added itself before it saw this thread sending, so it is seen here)
                    Waiter<T> next = waiting.peek();
                    if (next != null) {
                        LockSupport.unpark(next.thread);
                    }
                }
            } else {
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        RuntimeException failure = self.failure;
        if (failure != null) {
            throw failure;
        }
    }

    /** {@return how many items wait to be sent} */
    public int waiting() {
        return waiting.size();
    }

    /** Sends up to {@code maxBatch} waiting items, and wakes their threads once answered. */
    private void sendWaiting() {
        List<Waiter<T>> batch = new ArrayList<>();
        List<T> items = new ArrayList<>();
        Waiter<T> next;
        while (batch.size() < maxBatch && (next = waiting.poll()) != null) {
            next.taken = true;
            batch.add(next);
            items.add(next.item);
        }
        if (batch.isEmpty()) {
            return;
        }
        List<? extends @Nullable RuntimeException> failures;
        try {
            failures = call.send(items);
        } catch (RuntimeException e) {
            failures = Collections.nCopies(batch.size(), e);
        } catch (Error e) {
            release(batch, Collections.nCopies(batch.size(), new IllegalStateException(what + " failed: " + e, e)));
            throw e;
        }
        release(batch, failures);
    }

    private static <T> void release(List<Waiter<T>> batch, List<? extends @Nullable RuntimeException> failures) {
        for (int i = 0; i < batch.size(); i++) {
            Waiter<T> waiter = batch.get(i);
            waiter.failure = i < failures.size() ? failures.get(i) : null;
            waiter.done = true; // publishes the failure (and what the call wrote to the item) to the waiting thread
            LockSupport.unpark(waiter.thread);
        }
    }

    /** One item, its thread, and its failure once the call was answered. */
    private static final class Waiter<T> {
        final T item;
        final Thread thread = Thread.currentThread();
        /** Written by the sending thread before {@link #done}. */
        @Nullable RuntimeException failure;
        volatile boolean done;
        /** Set when a sending thread took the item into its call. */
        volatile boolean taken;

        Waiter(T item) {
            this.item = item;
        }
    }
}
