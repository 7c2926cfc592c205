package dev.ergate.runtime;

import dev.ergate.ErgateException;
import java.time.Duration;

/**
 * A step ran longer than its {@link StepOptions#timeout() timeout}. The job FAILS with it, unless
 * the step's {@link RetryPolicy} retries it.
 *
 * <p>Immutable and thread-safe.
 */
public final class StepTimeoutException extends ErgateException {

    private static final long serialVersionUID = 1L;

    /**
     * @param workflow the workflow's name
     * @param step the step's name
     * @param timeout its time limit
     */
    public StepTimeoutException(String workflow, String step, Duration timeout) {
        super("step '" + step + "' of workflow '" + workflow + "' ran longer than its timeout of " + timeout);
    }
}
