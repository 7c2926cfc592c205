package dev.ergate.runtime;

import java.util.Objects;

/**
 * Stops the job on purpose: it ends ABORTED, the message is kept in {@code exception_traceback}
 * (as Python Ergate does), {@code steps_completed} and {@code percent_completed} stay where they
 * were, and no retry policy applies.
 *
 * <p>Immutable and thread-safe.
 */
public final class AbortJob extends FlowControl {

    private static final long serialVersionUID = 1L;

    /** @param message why the job was aborted */
    public AbortJob(String message) {
        super(Objects.requireNonNull(message, "message"));
    }

    /**
     * @param message why the job was aborted
     * @return the signal, to throw or return
     */
    public static AbortJob of(String message) {
        return new AbortJob(message);
    }
}
