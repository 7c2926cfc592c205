package dev.ergate.spring.boot;

import dev.ergate.runtime.Ergate;

/**
 * A bean of this type adjusts the worker before it is built (listeners, exception hooks,
 * interceptors, a lifespan); applied in {@code @Order}.
 */
@FunctionalInterface
public interface ErgateWorkerCustomizer {

    /** @param builder the worker's builder, already set up from {@code ergate.*} */
    void customize(Ergate.Builder builder);
}
