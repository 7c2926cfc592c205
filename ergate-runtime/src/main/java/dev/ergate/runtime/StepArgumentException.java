package dev.ergate.runtime;

import dev.ergate.ErgateException;
import org.jspecify.annotations.Nullable;

/**
 * A step's argument could not be supplied: a JSON value that does not convert to the declared
 * parameter type, or a dependency that could not be created. The job FAILS with it; the message
 * names the workflow, step, parameter, expected type and the offending value.
 *
 * <p>Immutable and thread-safe.
 */
public final class StepArgumentException extends ErgateException {

    private static final long serialVersionUID = 1L;

    /** Whether trying again may help. */
    private final boolean retryable;

    /**
     * @param message what could not be supplied, and why
     * @param cause the underlying failure
     */
    public StepArgumentException(String message, @Nullable Throwable cause) {
        this(message, cause, false);
    }

    StepArgumentException(String message, @Nullable Throwable cause, boolean retryable) {
        super(message, cause);
        this.retryable = retryable;
    }

    /**
     * {@return true when trying again may help (a dependency's provider failed, and a retry policy
     * may retry its cause); false for a value that will never convert}
     */
    public boolean isRetryable() {
        return retryable;
    }
}
