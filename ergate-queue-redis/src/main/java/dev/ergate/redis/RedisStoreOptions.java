package dev.ergate.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link RedisJobStore} behaves: how long it keeps a job once the job is final.
 *
 * <p>Immutable and thread-safe.
 */
public final class RedisStoreOptions {

    private static final RedisStoreOptions DEFAULTS = builder().build();

    private final Duration retention;

    private RedisStoreOptions(Builder b) {
        this.retention = b.retention;
    }

    /** {@return jobs are kept forever} */
    public static RedisStoreOptions defaults() {
        return DEFAULTS;
    }

    /** {@return a builder starting from {@link #defaults()}} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return how long a job is kept after it became final (COMPLETED, FAILED, ABORTED,
     *     CANCELLED); zero keeps it forever
     */
    public Duration retention() {
        return retention;
    }

    @Override
    public String toString() {
        return "RedisStoreOptions[retention=" + (retention.isZero() ? "forever" : retention) + "]";
    }

    /** Builds {@link RedisStoreOptions}; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder {
        private Duration retention = Duration.ZERO;

        private Builder() {
        }

        /** @param retention how long final jobs are kept: at least 1 ms, or zero for forever */
        public Builder retention(Duration retention) {
            this.retention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException if the retention is negative or below 1 ms
         */
        public RedisStoreOptions build() {
            if (retention.isNegative() || (!retention.isZero() && retention.toMillis() < 1)) {
                throw new IllegalArgumentException(
                        "retention must be zero (keep forever) or at least 1 ms, got " + retention);
            }
            return new RedisStoreOptions(this);
        }
    }
}
