package dev.ergate.runtime;

/**
 * A step's way of steering its job other than by returning: {@link GoToStep}, {@link GoToEnd}
 * and {@link AbortJob}, thrown (whatever the method's return type) or returned (handy in
 * lambdas), to the same effect. Signals, not errors: no stack trace, and never passed to failure
 * listeners or retry policies. Immutable and thread-safe.
 */
public abstract sealed class FlowControl extends RuntimeException permits GoToStep, GoToEnd, AbortJob {

    private static final long serialVersionUID = 1L;

    FlowControl(String message) {
        super(message, null, false, false);
    }
}
