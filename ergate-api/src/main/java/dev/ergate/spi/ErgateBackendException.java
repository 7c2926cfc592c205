package dev.ergate.spi;

import dev.ergate.ErgateException;
import org.jspecify.annotations.Nullable;

/**
 * A backend (queue or store) failed. {@link #isTransient()} tells the worker whether trying
 * again later may work (a lost connection, a timeout, a server restarting) or not (bad
 * credentials, a missing table): the worker retries transient failures with backoff and never
 * dies of them.
 */
public class ErgateBackendException extends ErgateException {

    private static final long serialVersionUID = 1L;

    private final boolean isTransient;

    /**
     * @param message what failed, naming the backend and the operation
     * @param cause the client's exception
     * @param isTransient whether trying again later may succeed
     */
    public ErgateBackendException(String message, @Nullable Throwable cause, boolean isTransient) {
        super(message, cause);
        this.isTransient = isTransient;
    }

    /** {@return true when trying again later may succeed} */
    public boolean isTransient() {
        return isTransient;
    }
}
