package dev.ergate.runtime;

import dev.ergate.Job;

/**
 * Called when a step throws an exception of the type it was registered for; when several hooks
 * match, only the one registered for the most specific type is called. Called for every failed
 * attempt (also those that a retry policy will retry), never for {@link FlowControl} signals. A
 * hook that throws is logged and ignored.
 *
 * <p>Implementations must be thread-safe.
 *
 * @param <E> the exception type
 */
@FunctionalInterface
public interface ExceptionHook<E extends Throwable> {

    /**
     * @param exception what the step threw
     * @param job the job as it ran (status RUNNING)
     */
    void onException(E exception, Job job);
}
