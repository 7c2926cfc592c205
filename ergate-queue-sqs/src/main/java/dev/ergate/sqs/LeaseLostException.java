package dev.ergate.sqs;

import dev.ergate.spi.ErgateBackendException;
import org.jspecify.annotations.Nullable;

/**
 * SQS refused a receipt handle: the message's lease ran out (and someone else may hold it now),
 * or it was already deleted. Never transient: retrying with the same handle can't work.
 */
final class LeaseLostException extends ErgateBackendException {

    private static final long serialVersionUID = 1L;

    LeaseLostException(String message, @Nullable Throwable cause) {
        super(message, cause, false);
    }
}
