package dev.ergate.runtime;

import dev.ergate.ErgateException;
import org.jspecify.annotations.Nullable;

/**
 * A workflow definition is wrong: thrown when the workflow is built or registered, never while
 * jobs run. The message names the workflow and, where it applies, the step and parameter.
 *
 * <p>Immutable and thread-safe.
 */
public final class WorkflowDefinitionException extends ErgateException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the workflow and step */
    public WorkflowDefinitionException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the workflow and step
     * @param cause the underlying failure
     */
    public WorkflowDefinitionException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
