package dev.ergate.examples;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The switch from {@code --backend NAME} to a {@link DemoBackend.Factory}. To add a backend, write
 * a {@link DemoBackend} next to {@link MemoryBackend}, add its adapter to this module's pom, and
 * register its factory below.
 *
 * <p>Immutable and thread-safe.
 */
final class DemoBackends {

    private static final Map<String, DemoBackend.Factory> FACTORIES = new LinkedHashMap<>();

    static {
        FACTORIES.put("memory", MemoryBackend::open);
        FACTORIES.put("redis", RedisDemoBackend::open);
        FACTORIES.put("postgres", PostgresDemoBackend::open);
        FACTORIES.put("sqs", SqsDemoBackend::open);
    }

    private DemoBackends() {
    }

    /** {@return the backend names, in the order the usage lists them} */
    static Set<String> names() {
        return FACTORIES.keySet();
    }

    /**
     * @param name a backend name from {@link #names()}
     * @return its factory
     * @throws IllegalArgumentException for an unknown name
     */
    static DemoBackend.Factory factory(String name) {
        DemoBackend.Factory factory = FACTORIES.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown backend '" + name + "'; choose one of " + names());
        }
        return factory;
    }

    /**
     * @return the backend's address: {@code --url}, else the environment variable, else the
     *     local default
     */
    static String urlOf(DemoOptions options, Map<String, String> environment, String variable, String localDefault) {
        String configured = configuredUrl(options, environment, variable);
        return configured != null ? configured : localDefault;
    }

    /** {@return {@code --url}, else the environment variable, else null} */
    static @Nullable String configuredUrl(DemoOptions options, Map<String, String> environment, String variable) {
        String url = options.url();
        if (url != null) {
            return url;
        }
        String fromEnvironment = environment.get(variable);
        return fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment.trim();
    }

    /** {@return a short random id, so each run's queue is its own} */
    static String runId() {
        return Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    }
}
