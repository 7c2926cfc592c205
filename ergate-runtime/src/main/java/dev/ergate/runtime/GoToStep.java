package dev.ergate.runtime;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Ends the current step and continues the job at a named <em>later</em> step, whose input is
 * {@link #value()}. Jumping to the current or an earlier step fails the job with {@link
 * ReverseGoToException}, as in Python Ergate; declare the jump with {@link PathHint#goTo(String)}
 * so progress is predicted right. Immutable and thread-safe.
 */
public final class GoToStep extends FlowControl {

    private static final long serialVersionUID = 1L;

    /** The target step's name. */
    private final String step;
    private final transient @Nullable Object value;

    /**
     * @param step the name of a later step of the same workflow
     * @param value the input of that step (converted to JSON), or {@code null}
     */
    public GoToStep(String step, @Nullable Object value) {
        super("go to step '" + step + "'");
        this.step = Objects.requireNonNull(step, "step");
        this.value = value;
    }

    /**
     * @param step the name of a later step
     * @param value its input
     * @return the signal, to throw or return
     */
    public static GoToStep of(String step, @Nullable Object value) {
        return new GoToStep(step, value);
    }

    /** {@return the target step's name} */
    public String step() {
        return step;
    }

    /** {@return the target step's input} */
    public @Nullable Object value() {
        return value;
    }
}
