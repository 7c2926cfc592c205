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

    /**
     * Tears an instance down after the step, in reverse order of creation, knowing how the step
     * ended (a rollback on failure, a commit on success). The default closes an {@link
     * AutoCloseable} instance and does nothing to others.
     *
     * @param instance what {@link #create} returned for this step
     * @param stepFailure what the step threw, or null when it returned normally
     * @throws Exception if the teardown fails: logged, and added to the step's failure if any
     */
    default void close(T instance, @org.jspecify.annotations.Nullable Throwable stepFailure) throws Exception {
        if (instance instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
