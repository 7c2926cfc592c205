package dev.ergate.runtime;

import dev.ergate.Job;
import org.jspecify.annotations.Nullable;

/**
 * What a step can see while it runs: its job, the user context and dependencies. Handed to
 * builder-defined steps ({@link StepFunction}), dependency factories, and to annotated step
 * methods that declare a {@code StepContext} parameter.
 *
 * <p>Valid only during the step's execution; not thread-safe (use it from the step's thread).
 */
public interface StepContext {

    /** {@return the job as it runs (status RUNNING, {@code step_name} set)} */
    Job job();

    /** {@return the workflow's name} */
    String workflowName();

    /** {@return the running step's name} */
    String stepName();

    /** {@return which attempt of this step this is: 1, or more when a retry policy retried it} */
    int attempt();

    /**
     * @param type the type to convert the job's {@code user_context} to
     * @param <T> that type
     * @return the user context, or {@code null} when it is JSON null
     * @throws StepArgumentException if the value does not convert to {@code type}
     */
    <T> @Nullable T userContext(Class<T> type);

    /**
     * @param type the generic type to convert the job's {@code user_context} to
     * @param <T> that type
     * @return the user context, or {@code null} when it is JSON null
     * @throws StepArgumentException if the value does not convert to {@code type}
     */
    <T> @Nullable T userContext(TypeRef<T> type);

    /**
     * Gets a dependency, creating it on first use in this step execution (at most once); per-step
     * dependencies are closed after the step, in reverse order of creation.
     *
     * @param type the dependency's registered type
     * @param <T> that type
     * @return the instance
     * @throws StepArgumentException if no provider is registered for {@code type}, the providers
     *     form a cycle, or the provider fails
     */
    <T> T dependency(Class<T> type);

    /**
     * As {@link #dependency(Class)}, for a dependency registered under a generic type.
     *
     * @param type the dependency's registered type
     * @param <T> that type
     * @return the instance
     */
    <T> T dependency(TypeRef<T> type);
}
