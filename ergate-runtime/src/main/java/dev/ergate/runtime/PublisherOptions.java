package dev.ergate.runtime;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link ErgatePublisher} runs. Immutable and thread-safe; start from {@link #defaults()}
 * or {@link #builder()}.
 */
public final class PublisherOptions {

    private static final PublisherOptions DEFAULTS = builder().build();

    private final int batchSize;
    private final Duration pollInterval;
    private final Duration retryInitialDelay;
    private final Duration retryMaxDelay;
    private final Clock clock;
    private final boolean handleSignals;

    private PublisherOptions(Builder b) {
        this.handleSignals = b.handleSignals;
        this.batchSize = b.batchSize;
        this.pollInterval = b.pollInterval;
        this.retryInitialDelay = b.retryInitialDelay;
        this.retryMaxDelay = b.retryMaxDelay;
        this.clock = b.clock;
    }

    /** {@return the defaults, as listed on each builder method} */
    public static PublisherOptions defaults() {
        return DEFAULTS;
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the most jobs claimed per pass} */
    public int batchSize() {
        return batchSize;
    }

    /** {@return the wait between passes that found less than a full batch} */
    public Duration pollInterval() {
        return pollInterval;
    }

    /** {@return the first wait after a failed pass} */
    public Duration retryInitialDelay() {
        return retryInitialDelay;
    }

    /** {@return the longest wait after failed passes} */
    public Duration retryMaxDelay() {
        return retryMaxDelay;
    }

    /** {@return the time source that decides what is due} */
    public Clock clock() {
        return clock;
    }

    /** {@return whether {@link ErgatePublisher#run()} stops on SIGTERM/SIGINT (a JVM shutdown hook)} */
    public boolean handleSignals() {
        return handleSignals;
    }

    /** Builds {@link PublisherOptions}; {@link #build()} checks the values. Not thread-safe. */
    public static final class Builder {
        private int batchSize = 100;
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration retryInitialDelay = Duration.ofMillis(200);
        private Duration retryMaxDelay = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();
        private boolean handleSignals = true;

        /**
         * @param handle stop on SIGTERM/SIGINT while {@link ErgatePublisher#run()} runs; default true
         * @return this builder
         */
        public Builder handleSignals(boolean handle) {
            this.handleSignals = handle;
            return this;
        }

        private Builder() {
        }

        /**
         * @param batchSize jobs claimed per pass, 1 to 10000; default 100
         * @return this builder
         */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * @param pollInterval wait between passes, positive; default 1 s
         * @return this builder
         */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
            return this;
        }

        /**
         * @param initialDelay first wait after a failed pass, positive; default 200 ms
         * @param maxDelay longest wait, at least {@code initialDelay}; default 30 s
         * @return this builder
         */
        public Builder retryDelays(Duration initialDelay, Duration maxDelay) {
            this.retryInitialDelay = Objects.requireNonNull(initialDelay, "initialDelay");
            this.retryMaxDelay = Objects.requireNonNull(maxDelay, "maxDelay");
            return this;
        }

        /**
         * @param clock the time source; default the system clock in UTC
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException naming the first bad value
         */
        public PublisherOptions build() {
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("batchSize must be within 1..10000, got " + batchSize);
            }
            if (pollInterval.isZero() || pollInterval.isNegative()) {
                throw new IllegalArgumentException("pollInterval must be positive, got " + pollInterval);
            }
            if (retryInitialDelay.isZero() || retryInitialDelay.isNegative()) {
                throw new IllegalArgumentException("retry initialDelay must be positive, got " + retryInitialDelay);
            }
            if (retryMaxDelay.compareTo(retryInitialDelay) < 0) {
                throw new IllegalArgumentException("retry maxDelay (" + retryMaxDelay
                        + ") must not be shorter than initialDelay (" + retryInitialDelay + ")");
            }
            return new PublisherOptions(this);
        }
    }
}
