package dev.ergate.runtime;

import dev.ergate.JobStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link Ergate} worker runs: how many steps at once, how long it waits on the queue, how
 * it drains on shutdown, how it treats poison messages and backend failures.
 *
 * <p>Immutable and thread-safe. Start from {@link #defaults()} or {@link #builder()}.
 */
public final class ErgateOptions {

    private static final ErgateOptions DEFAULTS = builder().build();

    private final int concurrency;
    private final Duration pollTimeout;
    private final Duration drainTimeout;
    private final JobStatus afterStepStatus;
    private final int maxDeliveries;
    private final boolean checkCancellation;
    private final Duration backendRetryInitialDelay;
    private final Duration backendRetryMaxDelay;
    private final int backendRetryAttempts;
    private final boolean handleSignals;
    private final Clock clock;
    private final Duration unknownWorkGrace;

    private ErgateOptions(Builder b) {
        this.unknownWorkGrace = b.unknownWorkGrace;
        this.concurrency = b.concurrency;
        this.pollTimeout = b.pollTimeout;
        this.drainTimeout = b.drainTimeout;
        this.afterStepStatus = b.afterStepStatus;
        this.maxDeliveries = b.maxDeliveries;
        this.checkCancellation = b.checkCancellation;
        this.backendRetryInitialDelay = b.backendRetryInitialDelay;
        this.backendRetryMaxDelay = b.backendRetryMaxDelay;
        this.backendRetryAttempts = b.backendRetryAttempts;
        this.handleSignals = b.handleSignals;
        this.clock = b.clock;
    }

    /** {@return the defaults, as listed on each builder method} */
    public static ErgateOptions defaults() {
        return DEFAULTS;
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these options} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@return how many steps run at once (one worker thread each)} */
    public int concurrency() {
        return concurrency;
    }

    /** {@return the longest one take from the queue blocks; also bounds how fast a stop is noticed} */
    public Duration pollTimeout() {
        return pollTimeout;
    }

    /** {@return how long running steps may take to finish once a stop is asked} */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    /** {@return QUEUED (the worker re-queues; default) or PENDING (a publisher re-queues)} */
    public JobStatus afterStepStatus() {
        return afterStepStatus;
    }

    /** {@return past this many deliveries of one message, the job is FAILED and dead-lettered} */
    public int maxDeliveries() {
        return maxDeliveries;
    }

    /**
     * {@return whether the worker starts each step with {@code JobStore.startStep} (which sees a
     * pending cancel request and a job that already ended) rather than a plain RUNNING update}
     */
    public boolean checkCancellation() {
        return checkCancellation;
    }

    /** {@return the first wait after a transient backend failure} */
    public Duration backendRetryInitialDelay() {
        return backendRetryInitialDelay;
    }

    /** {@return the longest wait between backend retries} */
    public Duration backendRetryMaxDelay() {
        return backendRetryMaxDelay;
    }

    /**
     * {@return how often one state write, put or ack is tried on transient failures before the
     * worker gives the delivery back to the queue (taking from the queue is retried for ever)}
     */
    public int backendRetryAttempts() {
        return backendRetryAttempts;
    }

    /** {@return whether {@link Ergate#run()} drains on SIGTERM/SIGINT (a JVM shutdown hook)} */
    public boolean handleSignals() {
        return handleSignals;
    }

    /**
     * {@return the time source (retry times, and the lease length read from a delivery's {@code
     * leaseExpiresAt}, so it should agree with the queue's clock)}
     */
    public Clock clock() {
        return clock;
    }

    /**
     * {@return how long a job of a workflow or step this worker does not know is given back (with
     * backoff) for a worker that knows it, as in a rolling deploy, before it is FAILED with a
     * message naming what is registered; counted from when the job was queued or due}
     */
    public Duration unknownWorkGrace() {
        return unknownWorkGrace;
    }

    @Override
    public String toString() {
        return "ErgateOptions[concurrency=" + concurrency + ", pollTimeout=" + pollTimeout + ", drainTimeout="
                + drainTimeout + ", afterStepStatus=" + afterStepStatus + ", maxDeliveries=" + maxDeliveries
                + ", checkCancellation=" + checkCancellation + ", backendRetry=" + backendRetryInitialDelay + ".."
                + backendRetryMaxDelay + " x" + backendRetryAttempts + ", handleSignals=" + handleSignals + "]";
    }

    /** Builds {@link ErgateOptions}; {@link #build()} checks the values. Not thread-safe. */
    public static final class Builder {
        private int concurrency = Math.max(2, Runtime.getRuntime().availableProcessors());
        private Duration pollTimeout = Duration.ofSeconds(1);
        private Duration drainTimeout = Duration.ofSeconds(30);
        private JobStatus afterStepStatus = JobStatus.QUEUED;
        private int maxDeliveries = 10;
        private boolean checkCancellation = true;
        private Duration backendRetryInitialDelay = Duration.ofMillis(100);
        private Duration backendRetryMaxDelay = Duration.ofSeconds(30);
        private int backendRetryAttempts = 8;
        private boolean handleSignals = true;
        private Clock clock = Clock.systemUTC();
        private Duration unknownWorkGrace = Duration.ofMinutes(5);

        private Builder() {
        }

        private Builder(ErgateOptions o) {
            this.concurrency = o.concurrency;
            this.pollTimeout = o.pollTimeout;
            this.drainTimeout = o.drainTimeout;
            this.afterStepStatus = o.afterStepStatus;
            this.maxDeliveries = o.maxDeliveries;
            this.checkCancellation = o.checkCancellation;
            this.backendRetryInitialDelay = o.backendRetryInitialDelay;
            this.backendRetryMaxDelay = o.backendRetryMaxDelay;
            this.backendRetryAttempts = o.backendRetryAttempts;
            this.handleSignals = o.handleSignals;
            this.clock = o.clock;
            this.unknownWorkGrace = o.unknownWorkGrace;
        }

        /**
         * @param grace how long a job of an unknown workflow or step is given back before it
         *     fails, zero or more (zero fails it at once); default 5 minutes
         * @return this builder
         */
        public Builder unknownWorkGrace(Duration grace) {
            this.unknownWorkGrace = Objects.requireNonNull(grace, "grace");
            return this;
        }

        /**
         * @param concurrency steps run at once, 1 to 1024; default max(2, CPU cores)
         * @return this builder
         */
        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        /**
         * @param pollTimeout longest blocking take, positive; default 1 s
         * @return this builder
         */
        public Builder pollTimeout(Duration pollTimeout) {
            this.pollTimeout = Objects.requireNonNull(pollTimeout, "pollTimeout");
            return this;
        }

        /**
         * @param drainTimeout time running steps get to finish on stop, zero or more; default 30 s
         * @return this builder
         */
        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
            return this;
        }

        /**
         * @param status QUEUED (default) or PENDING, written after a step that did not end the job
         * @return this builder
         */
        public Builder afterStepStatus(JobStatus status) {
            this.afterStepStatus = Objects.requireNonNull(status, "afterStepStatus");
            return this;
        }

        /**
         * @param maxDeliveries deliveries of one message before it is a poison message, at least 1; default 10
         * @return this builder
         */
        public Builder maxDeliveries(int maxDeliveries) {
            this.maxDeliveries = maxDeliveries;
            return this;
        }

        /**
         * @param check start each step with {@code JobStore.startStep}, which honours cancel requests
         *     and never runs a step of a job that already ended; false writes RUNNING with a plain
         *     {@code update} (no cancellation, no check); default true
         * @return this builder
         */
        public Builder checkCancellation(boolean check) {
            this.checkCancellation = check;
            return this;
        }

        /**
         * @param initialDelay first wait after a transient backend failure, positive; default 100 ms
         * @param maxDelay longest wait, at least {@code initialDelay}; default 30 s
         * @return this builder
         */
        public Builder backendRetryDelays(Duration initialDelay, Duration maxDelay) {
            this.backendRetryInitialDelay = Objects.requireNonNull(initialDelay, "initialDelay");
            this.backendRetryMaxDelay = Objects.requireNonNull(maxDelay, "maxDelay");
            return this;
        }

        /**
         * @param attempts tries of one state write, put or ack, at least 1; default 8
         * @return this builder
         */
        public Builder backendRetryAttempts(int attempts) {
            this.backendRetryAttempts = attempts;
            return this;
        }

        /**
         * @param handle drain on SIGTERM/SIGINT while {@link Ergate#run()} runs; default true
         * @return this builder
         */
        public Builder handleSignals(boolean handle) {
            this.handleSignals = handle;
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
        public ErgateOptions build() {
            if (concurrency < 1 || concurrency > 1024) {
                throw new IllegalArgumentException("concurrency must be within 1..1024, got " + concurrency);
            }
            if (pollTimeout.isZero() || pollTimeout.isNegative()) {
                throw new IllegalArgumentException("pollTimeout must be positive, got " + pollTimeout);
            }
            if (drainTimeout.isNegative()) {
                throw new IllegalArgumentException("drainTimeout must not be negative, got " + drainTimeout);
            }
            if (afterStepStatus != JobStatus.QUEUED && afterStepStatus != JobStatus.PENDING) {
                throw new IllegalArgumentException("afterStepStatus must be QUEUED or PENDING, got " + afterStepStatus);
            }
            if (maxDeliveries < 1) {
                throw new IllegalArgumentException("maxDeliveries must be at least 1, got " + maxDeliveries);
            }
            if (backendRetryInitialDelay.isZero() || backendRetryInitialDelay.isNegative()) {
                throw new IllegalArgumentException(
                        "backend retry initialDelay must be positive, got " + backendRetryInitialDelay);
            }
            if (backendRetryMaxDelay.compareTo(backendRetryInitialDelay) < 0) {
                throw new IllegalArgumentException("backend retry maxDelay (" + backendRetryMaxDelay
                        + ") must not be shorter than initialDelay (" + backendRetryInitialDelay + ")");
            }
            if (unknownWorkGrace.isNegative()) {
                throw new IllegalArgumentException("unknownWorkGrace must not be negative, got " + unknownWorkGrace);
            }
            if (backendRetryAttempts < 1) {
                throw new IllegalArgumentException("backendRetryAttempts must be at least 1, got " + backendRetryAttempts);
            }
            return new ErgateOptions(this);
        }
    }
}
