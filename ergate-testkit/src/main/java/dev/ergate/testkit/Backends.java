package dev.ergate.testkit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What an adapter test does when its backend can't be found: skip with one line saying how to
 * provide it, or fail when {@code ERGATE_REQUIRE_BACKENDS=true} (CI), so CI never skips.
 * Stateless and thread-safe.
 */
public final class Backends {

    /** The environment variable that turns a missing backend from a skip into a failure. */
    public static final String REQUIRE_ENV = "ERGATE_REQUIRE_BACKENDS";

    private Backends() {
    }

    /** {@return true when {@value #REQUIRE_ENV} is {@code true}} */
    public static boolean required() {
        return Boolean.parseBoolean(System.getenv(REQUIRE_ENV));
    }

    /**
     * Stops the current test when a backend is missing: a skip normally, a failure when
     * backends are {@linkplain #required() required}.
     *
     * @param backend the backend's name, for example {@code "Redis"}
     * @param howToProvide one line saying how to provide it, for example {@code "set
     *     ERGATE_REDIS_URL or run Redis on 127.0.0.1:6379"}
     * @param cause why it was not found, or {@code null}
     */
    public static void missing(String backend, String howToProvide, Throwable cause) {
        String message = backend + " is not available (" + (cause == null ? "not found" : cause.getMessage())
                + "): " + howToProvide;
        if (required()) {
            Assertions.fail(message + " [" + REQUIRE_ENV + "=true]", cause);
        }
        Assumptions.abort(message);
    }
}
