package dev.ergate.runtime;

import org.jspecify.annotations.Nullable;

/**
 * Ends the job at once as COMPLETED, skipping the remaining steps; {@link #value()} becomes its
 * {@code last_return_value}. Counts as a completed step.
 *
 * <p>Immutable and thread-safe.
 */
public final class GoToEnd extends FlowControl {

    private static final long serialVersionUID = 1L;

    private final transient @Nullable Object value;

    /** @param value the job's final return value, or {@code null} */
    public GoToEnd(@Nullable Object value) {
        super("go to end");
        this.value = value;
    }

    /**
     * @param value the job's final return value
     * @return the signal, to throw or return
     */
    public static GoToEnd of(@Nullable Object value) {
        return new GoToEnd(value);
    }

    /** {@return the job's final return value} */
    public @Nullable Object value() {
        return value;
    }
}
