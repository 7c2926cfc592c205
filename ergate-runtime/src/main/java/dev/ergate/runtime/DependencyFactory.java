package dev.ergate.runtime;

/**
 * Creates a per-step dependency. It may ask the {@link StepContext} for the job, the user context
 * and other dependencies (to any depth). An instance that is {@link AutoCloseable} is closed after
 * the step, also when the step throws, in reverse order of creation.
 *
 * <p>Implementations must be thread-safe: steps run on many threads at once.
 *
 * @param <T> the dependency's type
 */
@FunctionalInterface
public interface DependencyFactory<T> {

    /**
     * @param context the running step's context
     * @return a new instance for this step execution
     * @throws Exception if it can't be created: the step FAILS with a message naming it
     */
    T create(StepContext context) throws Exception;
}
