package dev.ergate.runtime;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a step may lead: to the next declared step, to the end of the job, or forward to a named
 * step. Hints only feed the progress prediction and never change what runs; a step without hints
 * leads to the next step, and registration checks every {@code goTo} target exists and lies
 * after the step. Immutable and thread-safe. Why: DESIGN.md, "A step, end to end".
 */
public final class PathHint {

    private static final PathHint NEXT = new PathHint(Kind.NEXT, null);
    private static final PathHint END = new PathHint(Kind.END, null);

    /** What a hint points at. */
    public enum Kind {
        /** The next declared step (or the end, after the last step). */
        NEXT,
        /** The end of the job: {@link GoToEnd}. */
        END,
        /** A named later step: {@link GoToStep}. */
        GO_TO
    }

    private final Kind kind;
    private final @Nullable String target;

    private PathHint(Kind kind, @Nullable String target) {
        this.kind = kind;
        this.target = target;
    }

    /** {@return the hint "the step may return normally and go on to the next declared step"} */
    public static PathHint next() {
        return NEXT;
    }

    /** {@return the hint "the step may end the job"} */
    public static PathHint end() {
        return END;
    }

    /**
     * @param step the name of a later step of the same workflow
     * @return the hint "the step may jump to {@code step}"
     */
    public static PathHint goTo(String step) {
        Objects.requireNonNull(step, "step");
        if (step.isBlank()) {
            throw new IllegalArgumentException("a goTo hint needs a step name");
        }
        return new PathHint(Kind.GO_TO, step);
    }

    /** {@return what the hint points at} */
    public Kind kind() {
        return kind;
    }

    /** {@return the target step of a {@link Kind#GO_TO} hint, else {@code null}} */
    public @Nullable String target() {
        return target;
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof PathHint that && kind == that.kind && Objects.equals(target, that.target);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, target);
    }

    @Override
    public String toString() {
        return kind == Kind.GO_TO ? "goTo(" + target + ")" : kind.name().toLowerCase(java.util.Locale.ROOT) + "()";
    }
}
