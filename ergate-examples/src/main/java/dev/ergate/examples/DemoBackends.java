package dev.ergate.examples;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

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

    /** @return the backend names, in the order the usage lists them */
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
     *     local default (may be null when the backend has a fallback of its own)
     */
    static String urlOf(DemoOptions options, Map<String, String> environment, String variable, String localDefault) {
        if (options.url() != null) {
            return options.url();
        }
        String fromEnvironment = environment.get(variable);
        return fromEnvironment == null || fromEnvironment.isBlank() ? localDefault : fromEnvironment.trim();
    }

    /** @return a short random id, so each run's queue is its own */
    static String runId() {
        return Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    }
}
