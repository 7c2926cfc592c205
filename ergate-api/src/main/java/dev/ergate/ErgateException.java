package dev.ergate;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception Ergate throws. It is unchecked: callers catch it where they can
 * do something about it, and otherwise let it travel.
 */
public class ErgateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, naming the thing it went wrong with
     */
    public ErgateException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the thing it went wrong with
     * @param cause the underlying failure, if any
     */
    public ErgateException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
