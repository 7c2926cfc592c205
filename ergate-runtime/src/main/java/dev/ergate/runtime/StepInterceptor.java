package dev.ergate.runtime;

import org.jspecify.annotations.Nullable;

/**
 * Wraps each step invocation on the thread that runs the user's code (a step-timeout thread
 * included), so context such as MDC, a trace scope or a security context can be set around the
 * step and cleared after. Interceptors registered on {@link Ergate.Builder} nest in registration
 * order: the first is outermost.
 */
@FunctionalInterface
public interface StepInterceptor {

    /**
     * Runs around one step. Must call {@code proceed.proceed()} exactly once and return (or throw)
     * what it returns (or throws); an interceptor that swallows the step's exception changes its
     * outcome.
     *
     * @param invocation which job, step and attempt is about to run
     * @param proceed runs the rest of the chain and then the step
     * @return the step's return value
     * @throws Exception what the step threw
     */
    @Nullable Object intercept(StepInvocation invocation, Proceed proceed) throws Exception;

    /** The rest of the interceptor chain, ending in the step itself. */
    @FunctionalInterface
    interface Proceed {
        /** {@return the step's return value} @throws Exception what the step threw */
        @Nullable Object proceed() throws Exception;
    }
}
