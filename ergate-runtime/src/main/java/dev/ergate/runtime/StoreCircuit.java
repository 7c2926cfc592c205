package dev.ergate.runtime;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pauses the worker's takers while the store fails transiently: a delivery taken then could only
 * be given back (and, on SQS, climb toward its receive limit). Opened by a store call given up on
 * transiently; while open, takers wait, and one at a time probes the store after a growing
 * backoff; a probe or store call that succeeds closes it. Thread-safe.
 */
final class StoreCircuit {

    private static final Logger LOG = LoggerFactory.getLogger(StoreCircuit.class);

    private final IntFunction<Duration> backoff;
    private final BooleanSupplier probe;
    private volatile boolean open;
    private int failures;
    private long nextProbeAt;
    private boolean probing;

    /**
     * @param backoff the wait before the next probe after {@code n} failures in a row
     * @param probe asks the store something cheap: true when it answered
     */
    StoreCircuit(IntFunction<Duration> backoff, BooleanSupplier probe) {
        this.backoff = backoff;
        this.probe = probe;
    }

    /** {@return true while takers pause} */
    boolean isOpen() {
        return open;
    }

    /** A store call failed transiently for good (its retries spent): pause the takers. */
    synchronized void failed() {
        if (!open) {
            LOG.warn("The store fails; taking jobs pauses until it answers again");
        }
        open = true;
        failures++;
        nextProbeAt = System.nanoTime() + backoff.apply(failures).toNanos();
        notifyAll();
    }

    /** A store call succeeded: takers go on. Costs one volatile read when closed. */
    void succeeded() {
        if (open) {
            close();
        }
    }

    private synchronized void close() {
        if (open) {
            LOG.info("The store answers again; taking jobs resumes");
        }
        open = false;
        failures = 0;
        notifyAll();
    }

    /**
     * Returns at once when closed; else waits, probing the store when it is this thread's turn,
     * until it is closed or {@code stopping} says so.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void awaitClosed(BooleanSupplier stopping) throws InterruptedException {
        while (open && !stopping.getAsBoolean()) {
            boolean mine;
            synchronized (this) {
                long wait = nextProbeAt - System.nanoTime();
                mine = open && !probing && wait <= 0;
                if (mine) {
                    probing = true;
                } else if (open) {
                    long millis = probing ? 100 : Math.max(1, Math.min(100, wait / 1_000_000));
                    wait(millis); // short slices, so a stop is noticed
                    continue;
                }
            }
            if (!mine) {
                continue;
            }
            boolean answered;
            try {
                answered = probe.getAsBoolean();
            } finally {
                synchronized (this) {
                    probing = false;
                }
            }
            if (answered) {
                close();
            } else {
                failed();
            }
        }
    }
}
