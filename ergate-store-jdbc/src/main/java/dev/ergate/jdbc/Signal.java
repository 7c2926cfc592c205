package dev.ergate.jdbc;

import java.util.concurrent.TimeUnit;

/**
 * A wake-up counter idle takers wait on. A taker reads {@link #generation()} <em>before</em> it
 * looks at the table and then waits for the generation to change, so a wake-up that arrives
 * between the look and the wait is never lost.
 *
 * <p>Thread-safe.
 */
final class Signal {

    private long generation;

    synchronized long generation() {
        return generation;
    }

    /** Wakes every waiter. */
    synchronized void bump() {
        generation++;
        notifyAll();
    }

    /**
     * Waits until the generation differs from {@code seen}, or {@code nanos} pass.
     *
     * @return true when woken by a change, false on timeout
     */
    synchronized boolean awaitChange(long seen, long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (generation == seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
