package dev.ergate.testbackends;

import dev.ergate.testbackends.FoundBackend.Source;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The lookup order, apart from the real environment and the real Docker so that a test can
 * give fakes: the variable, the local default, a container when Docker answers, else missing.
 */
final class BackendLookup {

    /** The environment variable that turns a missing backend from a skip into a failure. */
    static final String REQUIRE_ENV = "ERGATE_REQUIRE_BACKENDS";

    /**
     * One backend's places.
     *
     * @param name for messages, e.g. {@code Redis}
     * @param variable the environment variable that names it
     * @param localMissing for messages, e.g. {@code nothing answers at 127.0.0.1:6379}
     * @param localAdvice for messages, e.g. {@code run Redis on 127.0.0.1:6379}
     * @param local the local default's address when it answers, else null
     * @param container starts a container and gives its address
     * @param image for messages, the container's image
     */
    record Spec(String name, String variable, String localMissing, String localAdvice, Supplier<@Nullable String> local,
            Supplier<String> container, String image) {
    }

    private final Map<String, String> environment;
    private final BooleanSupplier dockerAvailable;

    BackendLookup(Map<String, String> environment, BooleanSupplier dockerAvailable) {
        this.environment = environment;
        this.dockerAvailable = dockerAvailable;
    }

    /**
     * @return where the backend is
     * @throws org.opentest4j.TestAbortedException when it is nowhere (the test is skipped)
     * @throws org.opentest4j.AssertionFailedError instead, under {@value #REQUIRE_ENV}{@code =true}
     */
    FoundBackend find(Spec spec) {
        String configured = environment.get(spec.variable());
        if (configured != null && !configured.isBlank()) {
            return new FoundBackend(configured.trim(), Source.ENVIRONMENT);
        }
        Throwable localFailure = null;
        try {
            String local = spec.local().get();
            if (local != null) {
                return new FoundBackend(local, Source.LOCAL);
            }
        } catch (RuntimeException | LinkageError e) {
            localFailure = e;
        }
        if (!dockerAvailable.getAsBoolean()) {
            throw missing(spec, "no Docker engine for Testcontainers", localFailure);
        }
        try {
            return new FoundBackend(spec.container().get(), Source.CONTAINER);
        } catch (RuntimeException e) {
            throw missing(spec, "the " + spec.image() + " container did not start (" + e.getMessage() + ")", e);
        }
    }

    private RuntimeException missing(Spec spec, String dockerProblem, @Nullable Throwable cause) {
        String message = spec.name() + " is not available: " + spec.variable() + " is not set, " + spec.localMissing()
                + ", " + dockerProblem + "; set " + spec.variable() + ", " + spec.localAdvice() + ", or start Docker";
        if (Boolean.parseBoolean(environment.get(REQUIRE_ENV))) {
            Assertions.fail(message + " [" + REQUIRE_ENV + "=true]", cause);
        }
        Assumptions.abort(message);
        throw new IllegalStateException("not reached: abort() throws");
    }
}
