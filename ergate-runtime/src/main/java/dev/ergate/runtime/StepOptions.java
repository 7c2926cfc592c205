package dev.ergate.runtime;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Per-step settings of a builder-defined workflow: {@link PathHint path hints}, a {@link
 * RetryPolicy} (overrides the workflow's) and a timeout.
 *
 * <p>Immutable and thread-safe.
 */
public final class StepOptions {

    private static final StepOptions DEFAULTS = builder().build();

    private final List<PathHint> paths;
    private final @Nullable RetryPolicy retryPolicy;
    private final @Nullable Duration timeout;

    private StepOptions(Builder builder) {
        this.paths = List.copyOf(builder.paths);
        this.retryPolicy = builder.retryPolicy;
        this.timeout = builder.timeout;
    }

    /** {@return no hints (the step leads to the next one), the workflow's retry policy, no timeout} */
    public static StepOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param hints where the step may lead
     * @return options with just these hints
     */
    public static StepOptions paths(PathHint... hints) {
        return builder().paths(hints).build();
    }

    /** {@return a builder starting from {@link #defaults()}} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return where the step may lead; empty means "the next step"} */
    public List<PathHint> paths() {
        return paths;
    }

    /** {@return the step's own retry policy, if it has one} */
    public Optional<RetryPolicy> retryPolicy() {
        return Optional.ofNullable(retryPolicy);
    }

    /** {@return the step's time limit, if it has one} */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** Builds {@link StepOptions}. Not thread-safe. */
    public static final class Builder {
        private List<PathHint> paths = List.of();
        private @Nullable RetryPolicy retryPolicy;
        private @Nullable Duration timeout;

        private Builder() {
        }

        /**
         * @param hints where the step may lead (next, end, goTo)
         * @return this builder
         */
        public Builder paths(PathHint... hints) {
            this.paths = Arrays.asList(hints.clone());
            return this;
        }

        /**
         * @param policy the step's retry policy, overriding the workflow's; {@code null} for the
         *     workflow's
         * @return this builder
         */
        public Builder retryPolicy(@Nullable RetryPolicy policy) {
            this.retryPolicy = policy;
            return this;
        }

        /**
         * @param timeout the longest the step may run, or {@code null} for no limit
         * @return this builder
         */
        public Builder timeout(@Nullable Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException if a hint is null or the timeout is not positive
         */
        public StepOptions build() {
            for (PathHint hint : paths) {
                Objects.requireNonNull(hint, "a path hint is null");
            }
            if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
                throw new IllegalArgumentException("a step timeout must be positive, got " + timeout);
            }
            return new StepOptions(this);
        }
    }
}
