package dev.ergate.runtime;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** One compiled step of a {@link Workflow}. Immutable and thread-safe. */
final class StepDefinition {

    final String name;
    final int index;
    final List<PathHint> paths;
    final @Nullable RetryPolicy retryPolicy;
    final @Nullable Duration timeout;
    final List<ParamSpec> params;
    final StepInvoker invoker;

    StepDefinition(String name, int index, List<PathHint> paths, @Nullable RetryPolicy retryPolicy,
            @Nullable Duration timeout, List<ParamSpec> params, StepInvoker invoker) {
        this.name = name;
        this.index = index;
        this.paths = List.copyOf(paths);
        this.retryPolicy = retryPolicy;
        this.timeout = timeout;
        this.params = List.copyOf(params);
        this.invoker = invoker;
    }

    /** {@return the hints, with "next" standing in when none were given} */
    List<PathHint> effectivePaths() {
        return paths.isEmpty() ? List.of(PathHint.next()) : paths;
    }
}
