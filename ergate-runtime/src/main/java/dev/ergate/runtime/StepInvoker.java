package dev.ergate.runtime;

import org.jspecify.annotations.Nullable;

/** Calls a step's body with arguments from a {@link StepScope}. Thread-safe. */
@FunctionalInterface
interface StepInvoker {
    @Nullable Object invoke(StepScope scope) throws Exception;
}
