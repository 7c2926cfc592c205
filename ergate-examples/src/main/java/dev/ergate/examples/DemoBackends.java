package dev.ergate.examples;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The switch from {@code --backend NAME} to a {@link DemoBackend.Factory}. To add a backend, write
 * a {@link DemoBackend} next to {@link MemoryBackend}, add its adapter to this module's pom, and
 * replace its {@link #notWiredYet} line below with its factory.
 *
 * <p>Immutable and thread-safe.
 */
final class DemoBackends {

    private static final Map<String, DemoBackend.Factory> FACTORIES = new LinkedHashMap<>();

    static {
        FACTORIES.put("memory", MemoryBackend::open);
        FACTORIES.put("redis", notWiredYet("redis", "ergate-queue-redis"));
        FACTORIES.put("postgres", notWiredYet("postgres", "ergate-store-jdbc"));
        FACTORIES.put("sqs", notWiredYet("sqs", "ergate-queue-sqs"));
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

    private static DemoBackend.Factory notWiredYet(String name, String module) {
        return (options, environment) -> {
            throw new UsageException("the " + name + " backend is not wired into the demo yet (its adapter, "
                    + module + ", comes in a later release); use --backend memory");
        };
    }
}
