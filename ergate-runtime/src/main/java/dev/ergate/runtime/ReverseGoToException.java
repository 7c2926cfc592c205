package dev.ergate.runtime;

import dev.ergate.ErgateException;

/**
 * A step asked to {@link GoToStep go to} its own or an earlier step. Workflows only move
 * forward, so the job FAILS with this exception in its {@code exception_traceback}.
 *
 * <p>Immutable and thread-safe.
 */
public final class ReverseGoToException extends ErgateException {

    private static final long serialVersionUID = 1L;

    /**
     * @param workflow the workflow's name
     * @param fromStep the step that asked
     * @param toStep the target it named
     */
    public ReverseGoToException(String workflow, String fromStep, String toStep) {
        super("step '" + fromStep + "' of workflow '" + workflow + "' asked to go to step '" + toStep
                + "', which does not come after it; workflows only move forward");
    }
}
