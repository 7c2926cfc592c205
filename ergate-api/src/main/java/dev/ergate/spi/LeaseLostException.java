package dev.ergate.spi;

import org.jspecify.annotations.Nullable;

/**
 * A {@link Delivery} no longer holds its lease: it already ended, or the lease ran out and the
 * job may be with another taker now. Never transient: trying again can't win the lease back.
 * Thrown by {@link Delivery#extend}; an ending call on such a delivery does nothing instead.
 */
public class LeaseLostException extends ErgateBackendException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was refused, naming the job and the backend
     * @param cause the client's exception, if there was one
     */
    public LeaseLostException(String message, @Nullable Throwable cause) {
        super(message, cause, false);
    }
}
