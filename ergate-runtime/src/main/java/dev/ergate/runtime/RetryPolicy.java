package dev.ergate.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How often a failing step is tried again and how long to wait: {@code initialDelay *
 * multiplier^(n-2)} before attempt {@code n}, capped at {@code maxDelay}, spread by {@code
 * jitter}; only {@link Builder#retryOn retryOn} exceptions, never {@link FlowControl}. The attempt
 * travels as {@value dev.ergate.RuntimeFields#ATTEMPT}; the default is {@link #none()}.
 * Immutable and thread-safe.
 */
public final class RetryPolicy {

    private static final RetryPolicy NONE = builder().maxAttempts(1).build();

    private final int maxAttempts;
    private final Duration initialDelay;
    private final double multiplier;
    private final Duration maxDelay;
    private final double jitter;
    private final List<Class<? extends Throwable>> retryOn;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.initialDelay = b.initialDelay;
        this.multiplier = b.multiplier;
        this.maxDelay = b.maxDelay;
        this.jitter = b.jitter;
        this.retryOn = List.copyOf(b.retryOn);
    }

    /** {@return a policy that never retries (one attempt)} */
    public static RetryPolicy none() {
        return NONE;
    }

    /**
     * {@return a builder: 3 attempts, 1 s initial delay doubling up to 5 min, 20 % jitter, on any
     * {@link Exception}}
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the most attempts of one step, the first one included} */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** {@return the wait before the second attempt} */
    public Duration initialDelay() {
        return initialDelay;
    }

    /** {@return how much the wait grows per attempt} */
    public double multiplier() {
        return multiplier;
    }

    /** {@return the longest wait} */
    public Duration maxDelay() {
        return maxDelay;
    }

    /** {@return the random spread of each wait, as a fraction (0 to 1)} */
    public double jitter() {
        return jitter;
    }

    /** {@return the exception types that are retried (subtypes included)} */
    public List<Class<? extends Throwable>> retryOn() {
        return retryOn;
    }

    /**
     * @param failedAttempt the attempt that just failed (1 for the first)
     * @param error what it threw
     * @return true when another attempt should be made
     */
    public boolean shouldRetry(int failedAttempt, Throwable error) {
        if (failedAttempt >= maxAttempts || error instanceof FlowControl) {
            return false;
        }
        for (Class<? extends Throwable> type : retryOn) {
            if (type.isInstance(error)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param nextAttempt the attempt about to be scheduled (2 or more)
     * @param random a random number in [0, 1), for the jitter
     * @return how long to wait before it
     */
    public Duration delayBefore(int nextAttempt, double random) {
        return Backoff.delay(initialDelay, multiplier, maxDelay, jitter, Math.max(0, nextAttempt - 2), random);
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", initialDelay=" + initialDelay + ", multiplier="
                + multiplier + ", maxDelay=" + maxDelay + ", jitter=" + jitter + ", retryOn=" + retryOn + "]";
    }

    /** Builds a {@link RetryPolicy}; {@link #build()} checks the values. Not thread-safe. */
    public static final class Builder {
        private int maxAttempts = 3;
        private Duration initialDelay = Duration.ofSeconds(1);
        private double multiplier = 2.0;
        private Duration maxDelay = Duration.ofMinutes(5);
        private double jitter = 0.2;
        private List<Class<? extends Throwable>> retryOn = List.of(Exception.class);

        private Builder() {
        }

        /**
         * @param maxAttempts the most attempts, first included; at least 1 (1 = no retry)
         * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * @param initialDelay the wait before the second attempt; zero or more
         * @return this builder
         */
        public Builder initialDelay(Duration initialDelay) {
            this.initialDelay = Objects.requireNonNull(initialDelay, "initialDelay");
            return this;
        }

        /**
         * @param multiplier how much the wait grows per attempt; at least 1
         * @return this builder
         */
        public Builder multiplier(double multiplier) {
            this.multiplier = multiplier;
            return this;
        }

        /**
         * @param maxDelay the longest wait; at least {@code initialDelay}
         * @return this builder
         */
        public Builder maxDelay(Duration maxDelay) {
            this.maxDelay = Objects.requireNonNull(maxDelay, "maxDelay");
            return this;
        }

        /**
         * @param jitter the random spread of each wait, 0 (none) to 1
         * @return this builder
         */
        public Builder jitter(double jitter) {
            this.jitter = jitter;
            return this;
        }

        /**
         * @param types the exception types to retry (subtypes included); at least one
         * @return this builder
         */
        @SafeVarargs
        public final Builder retryOn(Class<? extends Throwable>... types) {
            List<Class<? extends Throwable>> copy = new ArrayList<>(types.length);
            for (Class<? extends Throwable> type : types) {
                copy.add(type);
            }
            this.retryOn = copy;
            return this;
        }

        /**
         * @return the policy
         * @throws IllegalArgumentException naming the first bad value
         */
        public RetryPolicy build() {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
            }
            if (initialDelay.isNegative()) {
                throw new IllegalArgumentException("initialDelay must not be negative, got " + initialDelay);
            }
            if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
                throw new IllegalArgumentException("multiplier must be at least 1, got " + multiplier);
            }
            if (maxDelay.compareTo(initialDelay) < 0) {
                throw new IllegalArgumentException(
                        "maxDelay (" + maxDelay + ") must not be shorter than initialDelay (" + initialDelay + ")");
            }
            if (!(jitter >= 0.0 && jitter <= 1.0)) {
                throw new IllegalArgumentException("jitter must be within 0..1, got " + jitter);
            }
            if (retryOn.isEmpty()) {
                throw new IllegalArgumentException("retryOn needs at least one exception type");
            }
            for (Class<? extends Throwable> type : retryOn) {
                Objects.requireNonNull(type, "a retryOn type is null");
            }
            return new RetryPolicy(this);
        }
    }
}
