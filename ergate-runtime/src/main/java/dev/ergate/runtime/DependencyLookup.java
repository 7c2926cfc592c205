package dev.ergate.runtime;

import java.lang.reflect.Type;

/**
 * Supplies dependencies that no registration in a {@link Dependencies} set provides, such as the
 * beans of a DI container (the Spring Boot starter asks the application context). Set with
 * {@link Dependencies.Builder#fallback}. The container owns what it returns: Ergate never closes it.
 *
 * <p>Implementations must be thread-safe: steps run on many threads at once.
 */
public interface DependencyLookup {

    /**
     * Asked when a workflow is registered (for annotated steps' dependencies) and when a step first
     * asks for a type in its execution.
     *
     * @param type a dependency type
     * @return true if {@link #get(Type)} can supply it
     */
    boolean provides(Type type);

    /**
     * @param type a type for which {@link #provides(Type)} answered true
     * @return the instance, never null
     * @throws Exception if it can't be had: the step FAILS with a message naming the type
     */
    Object get(Type type) throws Exception;
}
