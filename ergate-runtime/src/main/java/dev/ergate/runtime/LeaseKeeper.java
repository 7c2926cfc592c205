package dev.ergate.runtime;

import dev.ergate.internal.DaemonThreads;
import dev.ergate.spi.Delivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the leases of a worker's running steps: one thread and one {@link Slot} per worker
 * thread; a lease is extended when its step has run for half of it, and again every half length.
 * The extension calls run concurrently on helper threads, each bounded by a quarter of the lease:
 * one hung call is abandoned and tried again, and never holds up another step's lease. Starting
 * and stopping cost two slot writes (DESIGN.md, "Changes from the starting design").
 * Thread-safe: each slot has one worker thread; the keeper reads them all.
 */
final class LeaseKeeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);
    /** Leases shorter than this are kept as if they were this long, so extensions don't come back to back. */
    static final Duration MIN_LEASE = Duration.ofMillis(200);
    /** Longer leases (SQS's longest is 12 hours) are renewed as this long, which keeps the time arithmetic in range. */
    static final Duration MAX_LEASE = Duration.ofHours(12);
    /** The longest the keeper sleeps with nothing to extend; a step start wakes it sooner when needed. */
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Slot[] slots;
    private final Thread thread;
    /** Runs the extension calls, so one slow call does not hold up the others. */
    private final java.util.concurrent.ExecutorService extenders =
            java.util.concurrent.Executors.newCachedThreadPool(DaemonThreads.factory("ergate-lease-extend"));
    private final ErgateListener events;
    /** The keeper thread's MDC, set around what it logs about a job. */
    private final StepMdc mdc;
    /** Whether MDC keys are set at all (for the helper threads' own). */
    private final boolean logsMdc;
    /** When the keeper thread will next look at the slots ({@link System#nanoTime()}). */
    private volatile long wakeAt;
    private volatile boolean closed;
    /** How many times the keeper thread looked at the slots; written by it alone (for tests). */
    private volatile long scans;

    /**
     * @param workers how many worker threads (one slot each)
     * @param threadName the keeper thread's name
     * @param events told when extending a running step's lease fails ({@code leaseLost})
     * @param mdc whether to set the job's MDC keys around what it logs about a job
     */
    LeaseKeeper(int workers, String threadName, ErgateListener events, boolean mdc) {
        this.events = events;
        this.mdc = new StepMdc(mdc);
        this.logsMdc = mdc;
        slots = new Slot[workers];
        for (int i = 0; i < workers; i++) {
            slots[i] = new Slot();
        }
        thread = DaemonThreads.newThread(threadName, this::keepLeases);
        wakeAt = System.nanoTime() + IDLE_NANOS;
    }

    /** Starts the keeper thread. */
    void start() {
        thread.start();
    }

    /**
     * @param worker the worker thread's number, from 0
     * @return that worker's slot
     */
    Slot slot(int worker) {
        return slots[worker];
    }

    /** {@return how many times the keeper thread has woken up and looked at the slots} */
    long scans() {
        return scans;
    }

    /**
     * @return the lease length left on a delivery right now, by {@code clock}, in nanoseconds;
     *     negative when it already ran out
     */
    static long remainingNanos(Delivery delivery, Clock clock) {
        Instant expires = delivery.leaseExpiresAt();
        try {
            return TimeUnit.MILLISECONDS.toNanos(Math.subtractExact(expires.toEpochMilli(), clock.millis()));
        } catch (ArithmeticException beyondMillis) {
            return expires.isBefore(clock.instant()) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** Stops the keeper thread; leases of steps still running are no longer extended. Idempotent. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        extenders.shutdownNow();
    }

    private void keepLeases() {
        while (!closed) {
            scans++;
            long earliest = extendDueLeases(System.nanoTime());
            wakeAt = earliest;
            // A step that started during the scan may have read the previous wakeAt and not woken
            // us although its first extension comes before `earliest`: look once more.
            if (earliestDue(earliest) - earliest < 0) {
                continue;
            }
            long sleep = earliest - System.nanoTime();
            if (sleep > 0) {
                LockSupport.parkNanos(this, sleep);
            }
        }
    }

    /**
     * Starts the extension of every lease that is due (each on a helper thread), abandons calls
     * that ran past their timeout; @return when the keeper must look next, at most the idle time away
     */
    private long extendDueLeases(long now) {
        long earliest = now + IDLE_NANOS;
        for (Slot slot : slots) {
            Delivery delivery = slot.delivery;
            if (delivery == null) {
                continue;
            }
            long due;
            java.util.concurrent.Future<?> running = slot.extension;
            if (running != null && !running.isDone()) {
                long timeoutAt = slot.extensionStartedAt + slot.lengthNanos / 4;
                if (timeoutAt - now > 0) {
                    earliest = earlier(earliest, timeoutAt);
                    continue;
                }
                running.cancel(true); // hung (a dead connection): abandon it and try again at once
                slot.timedOut(delivery);
                due = now;
            } else {
                due = slot.nextExtensionAt;
            }
            if (due - now <= 0) {
                long length = slot.lengthNanos;
                slot.nextExtensionAt = now + length / 2;
                slot.extensionStartedAt = now;
                try {
                    slot.extension = extenders.submit(() -> slot.extend(delivery, length));
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    return earliest; // the keeper is closing
                }
                due = now + length / 4; // look again when this call times out
            }
            earliest = earlier(earliest, due);
        }
        return earliest;
    }

    private static long earlier(long a, long b) {
        return b - a < 0 ? b : a;
    }

    /** {@return the earliest next extension of a running step, or {@code bound} if none is earlier} */
    private long earliestDue(long bound) {
        long earliest = bound;
        for (Slot slot : slots) {
            if (slot.delivery != null) {
                long due = slot.nextExtensionAt;
                if (due - earliest < 0) {
                    earliest = due;
                }
            }
        }
        return earliest;
    }

    /** One worker thread's running step, if any. Written by that worker, read by the keeper. */
    final class Slot {
        private volatile @Nullable Delivery delivery;
        /** The lease length to renew; written before {@link #delivery}, so the keeper sees it with it. */
        private long lengthNanos;
        private volatile long nextExtensionAt;
        /** The delivery whose extension failed last, so its finish does not write over another worker. */
        private volatile @Nullable Delivery lost;
        /** The extension call under way, if any; keeper thread only. */
        private java.util.concurrent.@Nullable Future<?> extension;
        /** When {@link #extension} started ({@link System#nanoTime()}); keeper thread only. */
        private long extensionStartedAt;

        private Slot() {
        }

        /** {@return true when extending this delivery's lease failed: it may be with another worker} */
        boolean lost(Delivery delivery) {
            return lost == delivery;
        }

        /**
         * Keeps {@code delivery}'s lease from now until {@link #stop()}.
         *
         * @param delivery the delivery whose step is starting
         * @param leaseNanos the lease length to renew, as measured when the delivery was taken
         */
        void keep(Delivery delivery, long leaseNanos) {
            long length = Math.min(Math.max(leaseNanos, MIN_LEASE.toNanos()), MAX_LEASE.toNanos());
            long due = System.nanoTime() + length / 2;
            lengthNanos = length;
            nextExtensionAt = due;
            this.delivery = delivery;
            if (due - wakeAt < 0) {
                LockSupport.unpark(thread);
            }
        }

        /** Stops keeping the lease: the step ended. */
        void stop() {
            delivery = null;
        }

        /** An extension call of {@code extended} ran past its timeout and was abandoned. */
        private void timedOut(Delivery extended) {
            mdc.enter(extended.job());
            try {
                LOG.warn("Extending the lease of job {} took over {} ms; abandoned, trying again", extended.job().id(),
                        TimeUnit.NANOSECONDS.toMillis(lengthNanos / 4));
            } finally {
                mdc.exit();
            }
        }

        private void extend(Delivery extended, long lengthNanos) {
            try {
                extended.extend(Duration.ofNanos(lengthNanos));
            } catch (RuntimeException e) {
                if (delivery == extended && !Thread.currentThread().isInterrupted()) {
                    if (e instanceof dev.ergate.spi.LeaseLostException) {
                        lost = extended;
                    }
                    StepMdc keys = new StepMdc(logsMdc);
                    keys.enter(extended.job());
                    try {
                        LOG.warn("Extending the lease of job {} failed; it may be delivered again: {}",
                                extended.job().id(), e.getMessage());
                    } finally {
                        keys.exit();
                    }
                    events.leaseLost(extended.job());
                }
                // else the step ended meanwhile and its delivery was settled: nothing was lost
            }
        }
    }
}
