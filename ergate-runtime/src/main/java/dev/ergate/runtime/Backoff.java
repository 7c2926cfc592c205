package dev.ergate.runtime;

import java.time.Duration;

/** Exponential backoff with jitter, shared by retry policies and backend retries. */
final class Backoff {

    private Backoff() {
    }

    /**
     * @param initial the first wait
     * @param multiplier growth per step
     * @param max the cap
     * @param jitter spread as a fraction
     * @param exponent how many times the wait has grown (0 for the first)
     * @param random in [0, 1)
     * @return the wait, between 0 and {@code max}
     */
    static Duration delay(Duration initial, double multiplier, Duration max, double jitter, int exponent,
            double random) {
        double base = initial.toNanos() * Math.pow(multiplier, Math.min(exponent, 1000));
        double capped = Math.min(base, (double) max.toNanos());
        double spread = capped * (1.0 + jitter * (2.0 * random - 1.0));
        long nanos = (long) Math.max(0.0, Math.min(spread, (double) max.toNanos()));
        return Duration.ofNanos(nanos);
    }
}
