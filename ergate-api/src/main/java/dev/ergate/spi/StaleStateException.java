package dev.ergate.spi;

import org.jspecify.annotations.Nullable;

/**
 * A store refused a write because it holds a newer state of the job ({@link WriteFence} says
 * which writes are refused): the writer is a stale worker or a duplicate message. Nothing was
 * written; for an {@link AtomicStepFinish} nothing was put or acknowledged either. Never
 * transient: trying again can't make the write newer. The worker drops such a delivery.
 */
public class StaleStateException extends ErgateBackendException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was refused, naming the job, the stored state and the refused one
     * @param cause the client's exception, if there was one
     */
    public StaleStateException(String message, @Nullable Throwable cause) {
        super(message, cause, false);
    }
}
