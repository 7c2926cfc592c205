package dev.ergate.runtime;

/**
 * A step's way of steering its job other than by returning: {@link GoToStep}, {@link GoToEnd}
 * and {@link AbortJob}. A step either throws one (works whatever the method's return type) or
 * returns one (handy in lambdas); the effect is the same. These are signals, not errors: they
 * carry no stack trace and are never passed to failure listeners or retry policies.
 *
 * <p>Immutable and thread-safe.
 */
public abstract sealed class FlowControl extends RuntimeException permits GoToStep, GoToEnd, AbortJob {

    private static final long serialVersionUID = 1L;

    FlowControl(String message) {
        super(message, null, false, false);
    }
}
