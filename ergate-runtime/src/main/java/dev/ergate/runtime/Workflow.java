package dev.ergate.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A named, ordered list of uniquely named steps: the compiled form of a builder workflow ({@code
 * Workflow.builder("orders").step(...).build()}) or an annotated one ({@link
 * #fromAnnotated(Object)}). Building checks names and path hints, {@link Ergate#registerWorkflow}
 * the rest, each failure a {@link WorkflowDefinitionException} naming workflow and step
 * (DESIGN.md, "A step, end to end"). Immutable and thread-safe.
 */
public final class Workflow {

    private final String name;
    private final List<StepDefinition> steps;
    private final Map<String, StepDefinition> byName;
    private final Dependencies dependencies;
    private final @Nullable RetryPolicy retryPolicy;
    /** longest[i]: the most steps that may still run when step i is next, i included. */
    private final int[] longest;

    Workflow(String name, List<StepDefinition> steps, Dependencies dependencies, @Nullable RetryPolicy retryPolicy) {
        this.name = name;
        this.steps = List.copyOf(steps);
        this.dependencies = dependencies;
        this.retryPolicy = retryPolicy;
        this.byName = new HashMap<>();
        validate();
        this.longest = longestPaths();
    }

    /**
     * @param name the workflow's unique name (the jobs' {@code workflow_name})
     * @return a builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Compiles an annotated workflow object; see {@link dev.ergate.runtime.annotations.ErgateWorkflow}.
     *
     * @param instance an instance of a class annotated {@code @ErgateWorkflow}, whose {@code @Step}
     *     methods are called on it
     * @return the workflow
     * @throws WorkflowDefinitionException if the class is not a valid workflow
     */
    public static Workflow fromAnnotated(Object instance) {
        return AnnotatedWorkflows.compile(instance);
    }

    /** {@return the workflow's name} */
    public String name() {
        return name;
    }

    /** {@return the step names in declared order} */
    public List<String> stepNames() {
        List<String> names = new ArrayList<>(steps.size());
        for (StepDefinition step : steps) {
            names.add(step.name);
        }
        return names;
    }

    /**
     * @param step a step's name
     * @return its path hints (empty: "the next step")
     * @throws IllegalArgumentException if the workflow has no such step
     */
    public List<PathHint> paths(String step) {
        return step(step).orElseThrow(() -> new IllegalArgumentException(
                "workflow '" + name + "' has no step '" + step + "'")).paths;
    }

    /** {@return the workflow's default retry policy, if any} */
    public Optional<RetryPolicy> retryPolicy() {
        return Optional.ofNullable(retryPolicy);
    }

    /** {@return the workflow's own dependencies, looked up before the app's} */
    public Dependencies dependencies() {
        return dependencies;
    }

    /**
     * A copy of this workflow (same name, steps and retry policy) with other dependencies of its
     * own. Tests use it to put a fake in place of what the workflow provides itself (its {@code
     * @Provides} methods), which would otherwise win over any app dependency.
     *
     * @param ownDependencies the copy's own dependencies, looked up before the app's; they
     *     replace this workflow's, they are not added to them
     * @return the copy
     */
    public Workflow withDependencies(Dependencies ownDependencies) {
        return new Workflow(name, steps, Objects.requireNonNull(ownDependencies, "ownDependencies"), retryPolicy);
    }

    /**
     * A copy of this workflow (same name, steps and dependencies) with another default retry
     * policy: the policy of every step that has none of its own.
     *
     * @param policy the copy's workflow-wide retry policy; {@code null} for none
     * @return the copy
     */
    public Workflow withRetryPolicy(@Nullable RetryPolicy policy) {
        return new Workflow(name, steps, dependencies, policy);
    }

    List<StepDefinition> steps() {
        return steps;
    }

    Optional<StepDefinition> step(String stepName) {
        return Optional.ofNullable(byName.get(stepName));
    }

    /**
     * @param index a step's index
     * @return the most steps that may still run when that step is next, itself included
     */
    int longestRemainingFrom(int index) {
        return index >= steps.size() ? 0 : longest[index];
    }

    private void validate() {
        if (name == null || name.isBlank()) {
            throw new WorkflowDefinitionException("a workflow needs a non-blank name");
        }
        if (steps.isEmpty()) {
            throw new WorkflowDefinitionException("workflow '" + name + "' has no steps");
        }
        for (StepDefinition step : steps) {
            if (step.name.isBlank()) {
                throw new WorkflowDefinitionException(
                        "workflow '" + name + "': step number " + (step.index + 1) + " has a blank name");
            }
            if (byName.putIfAbsent(step.name, step) != null) {
                throw new WorkflowDefinitionException(
                        "workflow '" + name + "' has two steps named '" + step.name + "'");
            }
        }
        for (StepDefinition step : steps) {
            for (PathHint hint : step.paths) {
                if (hint.kind() != PathHint.Kind.GO_TO) {
                    continue;
                }
                StepDefinition target = byName.get(hint.target());
                if (target == null) {
                    throw new WorkflowDefinitionException("workflow '" + name + "', step '" + step.name
                            + "': path hint goTo('" + hint.target() + "') names no step of the workflow "
                            + stepNames());
                }
                if (target.index <= step.index) {
                    throw new WorkflowDefinitionException("workflow '" + name + "', step '" + step.name
                            + "': path hint goTo('" + hint.target() + "') points backwards; steps only move forward");
                }
            }
            int inputs = 0;
            for (ParamSpec param : step.params) {
                if (param.kind() == ParamSpec.Kind.INPUT) {
                    inputs++;
                }
            }
            if (inputs > 1) {
                throw new WorkflowDefinitionException("workflow '" + name + "', step '" + step.name
                        + "' has " + inputs + " input parameters; a step takes at most one input");
            }
        }
    }

    private int[] longestPaths() {
        int n = steps.size();
        int[] result = new int[n];
        for (int i = n - 1; i >= 0; i--) {
            int best = 0;
            for (PathHint hint : steps.get(i).effectivePaths()) {
                int after = switch (hint.kind()) {
                    case NEXT -> i + 1 < n ? result[i + 1] : 0;
                    case END -> 0;
                    case GO_TO -> result[Objects.requireNonNull(byName.get(hint.target()), "checked by validate").index];
                };
                best = Math.max(best, after);
            }
            result[i] = 1 + best;
        }
        return result;
    }

    @Override
    public String toString() {
        return "Workflow[" + name + ", steps=" + stepNames() + "]";
    }

    /** Builds a {@link Workflow} step by step. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final List<StepDefinition> steps = new ArrayList<>();
        private Dependencies dependencies = Dependencies.none();
        private @Nullable RetryPolicy retryPolicy;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /**
         * Adds the next step.
         *
         * @param stepName the step's name, unique in the workflow
         * @param inputType the type its input is converted to ({@code JsonNode} for the raw value)
         * @param body the step
         * @param <I> the input type
         * @return this builder
         */
        public <I> Builder step(String stepName, Class<I> inputType, StepFunction<? super I> body) {
            return step(stepName, inputType, body, StepOptions.defaults());
        }

        /**
         * Adds the next step, with hints, retry policy or timeout.
         *
         * @param stepName the step's name, unique in the workflow
         * @param inputType the type its input is converted to
         * @param body the step
         * @param options its hints, retry policy and timeout
         * @param <I> the input type
         * @return this builder
         */
        public <I> Builder step(String stepName, Class<I> inputType, StepFunction<? super I> body,
                StepOptions options) {
            return add(stepName, TypeRef.of(inputType), body, options);
        }

        /**
         * Adds the next step, with a generic input type such as {@code List<Order>}.
         *
         * @param stepName the step's name
         * @param inputType the type its input is converted to
         * @param body the step
         * @param <I> the input type
         * @return this builder
         */
        public <I> Builder step(String stepName, TypeRef<I> inputType, StepFunction<? super I> body) {
            return step(stepName, inputType, body, StepOptions.defaults());
        }

        /**
         * Adds the next step, with a generic input type and options.
         *
         * @param stepName the step's name
         * @param inputType the type its input is converted to
         * @param body the step
         * @param options its hints, retry policy and timeout
         * @param <I> the input type
         * @return this builder
         */
        public <I> Builder step(String stepName, TypeRef<I> inputType, StepFunction<? super I> body,
                StepOptions options) {
            return add(stepName, inputType, body, options);
        }

        private <I> Builder add(String stepName, TypeRef<?> inputType, StepFunction<? super I> body,
                StepOptions options) {
            Objects.requireNonNull(stepName, "stepName");
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(options, "options");
            ParamSpec input = new ParamSpec(ParamSpec.Kind.INPUT, inputType.type(), "input");
            StepInvoker invoker = scope -> {
                @SuppressWarnings("unchecked")
                I value = (I) scope.argument(input);
                return body.run(value, scope);
            };
            steps.add(new StepDefinition(stepName, steps.size(), options.paths(),
                    options.retryPolicy().orElse(null), options.timeout().orElse(null), List.of(input), invoker));
            return this;
        }

        /**
         * @param dependencies the workflow's own dependencies, looked up before the app's
         * @return this builder
         */
        public Builder dependencies(Dependencies dependencies) {
            this.dependencies = Objects.requireNonNull(dependencies, "dependencies");
            return this;
        }

        /**
         * @param policy the retry policy of every step without its own; {@code null} for none
         * @return this builder
         */
        public Builder retryPolicy(@Nullable RetryPolicy policy) {
            this.retryPolicy = policy;
            return this;
        }

        /**
         * @return the workflow
         * @throws WorkflowDefinitionException naming workflow and step, if the definition is wrong
         */
        public Workflow build() {
            return new Workflow(name, steps, dependencies, retryPolicy);
        }
    }
}
