package dev.ergate.runtime;

import dev.ergate.Job;

/**
 * Called when a step throws an exception of the type it was registered for (only the hook of the
 * most specific matching type), for every failed attempt, also those a retry policy will retry;
 * never for {@link FlowControl} signals. A hook that throws is logged and ignored.
 * Implementations must be thread-safe.
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
