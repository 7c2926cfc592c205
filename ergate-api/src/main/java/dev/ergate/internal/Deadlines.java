package dev.ergate.internal;

import java.time.Duration;
import java.util.Objects;

/** Waits measured on {@link System#nanoTime()}, safe for durations too long for a {@code long}. */
public final class Deadlines {

    /** The largest wait in nanoseconds: far enough away, and adding it to a nanoTime can't overflow. */
    static final long FOREVER_NANOS = Long.MAX_VALUE / 4;

    private Deadlines() {
    }

    /** {@return {@code duration} in nanoseconds, capped to plus or minus about 73 years} */
    public static long saturatedNanos(Duration duration) {
        if (duration.compareTo(Duration.ofNanos(FOREVER_NANOS)) > 0) {
            return FOREVER_NANOS;
        }
        if (duration.compareTo(Duration.ofNanos(-FOREVER_NANOS)) < 0) {
            return -FOREVER_NANOS;
        }
        return duration.toNanos();
    }

    /**
     * Checks a {@code JobQueue.take} wait and turns it into a deadline.
     *
     * @param maxWait the longest time to block; zero for not at all
     * @return the deadline, on {@link System#nanoTime()}
     * @throws NullPointerException if {@code maxWait} is null
     * @throws IllegalArgumentException if it is negative
     */
    public static long takeDeadline(Duration maxWait) {
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative, got " + maxWait);
        }
        return System.nanoTime() + saturatedNanos(maxWait);
    }

    /** {@return the nanoseconds left until {@code deadline} (a nanoTime); zero or less when it passed} */
    public static long remainingNanos(long deadline) {
        return deadline - System.nanoTime();
    }
}
