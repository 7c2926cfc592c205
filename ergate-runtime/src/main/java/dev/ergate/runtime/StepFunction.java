package dev.ergate.runtime;

import org.jspecify.annotations.Nullable;

/**
 * The body of a builder-defined step: gets its input, converted from JSON to the declared type,
 * and a {@link StepContext}; returns the value handed to the next step (converted to JSON;
 * {@code null} for JSON null), or steers the job by throwing or returning a {@link FlowControl}.
 *
 * <p>Implementations must be thread-safe: many worker threads run the same step at once.
 *
 * @param <I> the declared input type
 */
@FunctionalInterface
public interface StepFunction<I> {

    /**
     * @param input the step's input, or {@code null} when it is JSON null
     * @param context the job, user context and dependencies
     * @return the step's return value, or a {@link GoToStep}/{@link GoToEnd}/{@link AbortJob}
     * @throws Exception any failure: the job FAILS (after its retry policy, if any)
     */
    @Nullable Object run(@Nullable I input, StepContext context) throws Exception;
}
