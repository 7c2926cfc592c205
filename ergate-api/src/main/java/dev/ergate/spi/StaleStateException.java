package dev.ergate.spi;

import org.jspecify.annotations.Nullable;

/**
 * A store refused a job's state because it would move the job back: a non-final state over a
 * final one, or a state with fewer steps completed than the stored one (a stale delivery of an
 * earlier step: a chain that forked, a worker past its lease). Nothing was written; an atomic
 * step finish that throws it put no next step and dropped the delivery. Never transient: the
 * caller drops what it was doing with that job. Thrown by {@link StateStore#update} and {@link
 * AtomicStepFinish#finish} of stores that fence their writes.
 */
public class StaleStateException extends ErgateBackendException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was refused, naming the job, the stored state and the backend
     * @param cause the client's exception, if there was one
     */
    public StaleStateException(String message, @Nullable Throwable cause) {
        super(message, cause, false);
    }
}
