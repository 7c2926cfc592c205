package dev.ergate.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ergate.Job;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One step execution: supplies arguments, creates dependencies at most once each, and closes the
 * per-step ones in reverse order. Used by one thread at a time.
 */
final class StepScope implements StepContext {

    private static final Logger LOG = LoggerFactory.getLogger(StepScope.class);

    private final ValueConverter converter;
    private final Workflow workflow;
    private final StepDefinition step;
    private final Job job;
    private final int attempt;
    private final Dependencies appDependencies;
    // Created on a step's first dependency: most steps have none, and a scope is made per step.
    private @Nullable Map<Type, Object> created;
    private @Nullable LinkedHashSet<Type> creating;
    private @Nullable Deque<Object> toClose;

    StepScope(ValueConverter converter, Workflow workflow, StepDefinition step, Job job, int attempt,
            Dependencies appDependencies) {
        this.converter = converter;
        this.workflow = workflow;
        this.step = step;
        this.job = job;
        this.attempt = attempt;
        this.appDependencies = appDependencies;
    }

    @Override
    public Job job() {
        return job;
    }

    @Override
    public String workflowName() {
        return workflow.name();
    }

    @Override
    public String stepName() {
        return step.name;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public <T> @Nullable T userContext(Class<T> type) {
        @SuppressWarnings("unchecked")
        T value = (T) convert(job.userContext(), type, "user context");
        return value;
    }

    @Override
    public <T> @Nullable T userContext(TypeRef<T> type) {
        @SuppressWarnings("unchecked")
        T value = (T) convert(job.userContext(), type.type(), "user context");
        return value;
    }

    @Override
    public <T> T dependency(Class<T> type) {
        @SuppressWarnings("unchecked")
        T value = (T) dependency((Type) type);
        return value;
    }

    @Override
    public <T> T dependency(TypeRef<T> type) {
        @SuppressWarnings("unchecked")
        T value = (T) dependency(type.type());
        return value;
    }

    /** {@return the step's input JSON: the initial input for the first step, else the last return value} */
    JsonNode inputNode() {
        return job.stepsCompleted() == 0 ? job.initialInputValue() : job.lastReturnValue();
    }

    @Nullable Object input(Type type, String what) {
        return convert(inputNode(), type, what);
    }

    /** {@return the value for one declared parameter} */
    @Nullable Object argument(ParamSpec spec) {
        return switch (spec.kind()) {
            case INPUT -> convert(inputNode(), spec);
            case USER_CONTEXT -> convert(job.userContext(), spec);
            case JOB -> job;
            case CONTEXT -> this;
            case DEPENDENCY -> dependency(spec.type());
        };
    }

    private @Nullable Object convert(JsonNode value, Type type, String what) {
        try {
            return converter.fromJson(value, type);
        } catch (IllegalArgumentException e) {
            throw argumentError(value, type, what, e);
        }
    }

    /** As {@link #convert(JsonNode, Type, String)}; the parameter is only described when it fails (this runs on every step). */
    private @Nullable Object convert(JsonNode value, ParamSpec spec) {
        try {
            return converter.fromJson(value, spec.type());
        } catch (IllegalArgumentException e) {
            throw argumentError(value, spec.type(), spec.describe(), e);
        }
    }

    private StepArgumentException argumentError(JsonNode value, Type type, String what, IllegalArgumentException e) {
        return new StepArgumentException("step '" + step.name + "' of workflow '" + workflow.name() + "': "
                + what + " expects " + type.getTypeName() + " but got " + ValueConverter.show(value)
                + " (" + e.getMessage() + ")", e);
    }

    Object dependency(Type type) {
        if (created == null) {
            created = new HashMap<>();
            creating = new LinkedHashSet<>();
            toClose = new ArrayDeque<>();
        }
        Map<Type, Object> created = this.created;
        LinkedHashSet<Type> creating = Objects.requireNonNull(this.creating, "set with created");
        Deque<Object> toClose = Objects.requireNonNull(this.toClose, "set with created");
        Object existing = created.get(type);
        if (existing != null) {
            return existing;
        }
        Provider provider = lookup(type).orElseThrow(() -> new StepArgumentException("step '" + step.name
                + "' of workflow '" + workflow.name() + "' needs a dependency of type " + type.getTypeName()
                + ", but none is registered (add it to the workflow's or the app's Dependencies)", null));
        if (!creating.add(type)) {
            List<String> cycle = new ArrayList<>();
            creating.forEach(t -> cycle.add(t.getTypeName()));
            cycle.add(type.getTypeName());
            throw new StepArgumentException("step '" + step.name + "' of workflow '" + workflow.name()
                    + "': dependencies form a cycle: " + String.join(" -> ", cycle), null);
        }
        Object instance;
        try {
            instance = provider.provide(this);
        } catch (StepArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new StepArgumentException("step '" + step.name + "' of workflow '" + workflow.name()
                    + "': the " + provider.describe() + " failed: " + e, e, true);
        } finally {
            creating.remove(type);
        }
        if (instance == null) {
            throw new StepArgumentException("step '" + step.name + "' of workflow '" + workflow.name()
                    + "': the " + provider.describe() + " returned null", null);
        }
        created.put(type, instance);
        if (provider.needsTeardown(instance)) {
            toClose.push(instance);
            toClose.push(provider);
        }
        return instance;
    }

    private Optional<Provider> lookup(Type type) {
        Optional<Provider> own = workflow.dependencies().provider(type);
        return own.isPresent() ? own : appDependencies.provider(type);
    }

    /**
     * Closes per-step dependencies, newest first. A close failure is logged, and added to the
     * step's own failure when there is one.
     */
    void closeAll(@Nullable Throwable stepFailure) {
        Deque<Object> toClose = this.toClose;
        if (toClose == null) {
            return;
        }
        while (!toClose.isEmpty()) {
            Provider provider = (Provider) toClose.pop(); // pushed after its instance
            Object instance = toClose.pop();
            try {
                provider.teardown(instance, stepFailure);
            } catch (Exception e) {
                if (stepFailure != null) {
                    stepFailure.addSuppressed(e);
                }
                LOG.warn("Closing dependency {} after step '{}' of workflow '{}' failed", instance.getClass().getName(),
                        step.name, workflow.name(), e);
            }
        }
    }
}
