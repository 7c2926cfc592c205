package dev.ergate.runtime;

import dev.ergate.Job;
import dev.ergate.runtime.annotations.Depends;
import dev.ergate.runtime.annotations.ErgateWorkflow;
import dev.ergate.runtime.annotations.Input;
import dev.ergate.runtime.annotations.Provides;
import dev.ergate.runtime.annotations.Retry;
import dev.ergate.runtime.annotations.Step;
import dev.ergate.runtime.annotations.UserContext;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Compiles {@code @ErgateWorkflow} classes and {@code @Provides} methods to the workflow model. */
final class AnnotatedWorkflows {

    private AnnotatedWorkflows() {
    }

    static Workflow compile(Object instance) {
        Class<?> cls = instance.getClass();
        Class<?> annotated = cls;
        while (annotated != null && !annotated.isAnnotationPresent(ErgateWorkflow.class)) {
            annotated = annotated.getSuperclass();
        }
        if (annotated == null) {
            throw new WorkflowDefinitionException("class " + cls.getName()
                    + " is not annotated @ErgateWorkflow, so it is not a workflow definition");
        }
        ErgateWorkflow marker = annotated.getAnnotation(ErgateWorkflow.class);
        String name = marker.value().isEmpty() ? annotated.getSimpleName() : marker.value();
        String where = "workflow '" + name + "' (" + cls.getName() + ")";

        List<Method> stepMethods = new ArrayList<>();
        for (Method method : methodsOf(cls)) {
            if (method.isAnnotationPresent(Step.class)) {
                stepMethods.add(method);
            }
        }
        if (stepMethods.isEmpty()) {
            throw new WorkflowDefinitionException(where + " has no @Step methods");
        }
        stepMethods.sort(Comparator.comparingInt(m -> m.getAnnotation(Step.class).order()));
        List<StepDefinition> steps = new ArrayList<>();
        for (int i = 0; i < stepMethods.size(); i++) {
            Method method = stepMethods.get(i);
            Step step = method.getAnnotation(Step.class);
            if (i > 0 && stepMethods.get(i - 1).getAnnotation(Step.class).order() == step.order()) {
                throw new WorkflowDefinitionException(where + ": @Step methods " + stepMethods.get(i - 1).getName()
                        + " and " + method.getName() + " have the same order " + step.order()
                        + "; give each step its own order");
            }
            String stepName = step.name().isEmpty() ? method.getName() : step.name();
            String stepWhere = "workflow '" + name + "', step '" + stepName + "'";
            List<ParamSpec> params = paramsOf(method, stepWhere);
            List<PathHint> paths = new ArrayList<>();
            for (String path : step.paths()) {
                if (Step.END.equals(path)) {
                    paths.add(PathHint.end());
                } else if (Step.NEXT.equals(path)) {
                    paths.add(PathHint.next());
                } else if (path.isBlank()) {
                    throw new WorkflowDefinitionException(stepWhere + " has a blank entry in its paths");
                } else {
                    paths.add(PathHint.goTo(path));
                }
            }
            Duration timeout = null;
            if (!step.timeout().isEmpty()) {
                timeout = duration(step.timeout(), stepWhere + ": timeout");
                if (timeout.isZero() || timeout.isNegative()) {
                    throw new WorkflowDefinitionException(stepWhere + ": timeout must be positive, got " + step.timeout());
                }
            }
            RetryPolicy retry = method.isAnnotationPresent(Retry.class)
                    ? retryPolicy(method.getAnnotation(Retry.class), stepWhere) : null;
            steps.add(new StepDefinition(stepName, i, paths, retry, timeout, params,
                    invoker(instance, method, params, stepWhere)));
        }
        RetryPolicy workflowRetry = annotated.isAnnotationPresent(Retry.class)
                ? retryPolicy(annotated.getAnnotation(Retry.class), where) : null;
        Dependencies.Builder deps = Dependencies.builder();
        for (Provider provider : providersOf(instance, where)) {
            deps.add(provider);
        }
        return new Workflow(name, steps, deps.build(), workflowRetry);
    }

    static List<Provider> providersOf(Object holder, String where) {
        List<Provider> providers = new ArrayList<>();
        java.util.Map<java.lang.reflect.Type, String> byType = new java.util.HashMap<>();
        for (Method method : methodsOf(holder.getClass())) {
            if (!method.isAnnotationPresent(Provides.class)) {
                continue;
            }
            String providerWhere = where + ", provider method " + method.getName();
            if (method.getReturnType() == void.class) {
                throw new WorkflowDefinitionException(providerWhere + " returns void; a provider must return its dependency");
            }
            List<ParamSpec> params = paramsOf(method, providerWhere);
            long inputs = params.stream().filter(p -> p.kind() == ParamSpec.Kind.INPUT).count();
            if (inputs > 1) {
                throw new WorkflowDefinitionException(providerWhere + " has " + inputs
                        + " input parameters; at most one is allowed");
            }
            String other = byType.putIfAbsent(method.getGenericReturnType(), method.getName());
            if (other != null) {
                // one would silently replace the other: which one a step gets must not depend on method order
                throw new WorkflowDefinitionException(providerWhere + " provides " + method.getGenericReturnType()
                        .getTypeName() + ", which provider method " + other + " provides too; keep one");
            }
            providers.add(new MethodProvider(method.getGenericReturnType(), holder, method, params,
                    invoker(holder, method, params, providerWhere)));
        }
        return providers;
    }

    /** Methods of the class and its superclasses, most derived first, overridden ones left out. */
    private static List<Method> methodsOf(Class<?> cls) {
        List<Method> methods = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Class<?> c = cls; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method method : c.getDeclaredMethods()) {
                if (method.isSynthetic() || method.isBridge()) {
                    continue;
                }
                String signature = method.getName() + java.util.Arrays.toString(method.getParameterTypes());
                if (seen.add(signature)) {
                    methods.add(method);
                }
            }
        }
        methods.sort(Comparator.comparing(Method::getName));
        return methods;
    }

    private static List<ParamSpec> paramsOf(Method method, String where) {
        List<ParamSpec> specs = new ArrayList<>();
        Parameter[] parameters = method.getParameters();
        Type[] types = method.getGenericParameterTypes();
        for (int i = 0; i < parameters.length; i++) {
            Parameter parameter = parameters[i];
            Type type = types.length == parameters.length ? types[i] : parameter.getParameterizedType();
            int markers = (parameter.isAnnotationPresent(Input.class) ? 1 : 0)
                    + (parameter.isAnnotationPresent(UserContext.class) ? 1 : 0)
                    + (parameter.isAnnotationPresent(Depends.class) ? 1 : 0);
            String paramWhere = where + ", parameter '" + parameter.getName() + "'";
            if (markers > 1) {
                throw new WorkflowDefinitionException(paramWhere
                        + " has more than one of @Input, @UserContext, @Depends; it can only be one thing");
            }
            ParamSpec.Kind kind;
            if (parameter.isAnnotationPresent(Input.class)) {
                kind = ParamSpec.Kind.INPUT;
            } else if (parameter.isAnnotationPresent(UserContext.class)) {
                kind = ParamSpec.Kind.USER_CONTEXT;
            } else if (parameter.isAnnotationPresent(Depends.class)) {
                kind = ParamSpec.Kind.DEPENDENCY;
            } else if (type == Job.class) {
                kind = ParamSpec.Kind.JOB;
            } else if (type == StepContext.class) {
                kind = ParamSpec.Kind.CONTEXT;
            } else {
                throw new WorkflowDefinitionException(paramWhere + " (" + type.getTypeName()
                        + ") can't be supplied by the engine: mark it @Input, @UserContext or @Depends, "
                        + "or declare it as Job or StepContext");
            }
            specs.add(new ParamSpec(kind, type, parameter.getName()));
        }
        return specs;
    }

    private static StepInvoker invoker(@Nullable Object target, Method method, List<ParamSpec> params, String where) {
        try {
            method.setAccessible(true);
        } catch (RuntimeException e) {
            throw new WorkflowDefinitionException(where + ": method " + method.getName()
                    + " can't be called by Ergate (make it public, or open its package): " + e.getMessage(), e);
        }
        Object receiver = Modifier.isStatic(method.getModifiers()) ? null : target;
        ParamSpec[] specs = params.toArray(new ParamSpec[0]);
        return scope -> {
            Object[] args = new Object[specs.length];
            for (int i = 0; i < specs.length; i++) {
                args[i] = scope.argument(specs[i]);
            }
            try {
                return method.invoke(receiver, args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception exception) {
                    throw exception;
                }
                if (cause instanceof Error error) {
                    throw error;
                }
                throw e;
            }
        };
    }

    private static Duration duration(String text, String where) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new WorkflowDefinitionException(where + " is not an ISO-8601 duration (like PT30S): '" + text + "'", e);
        }
    }

    private static RetryPolicy retryPolicy(Retry retry, String where) {
        try {
            return RetryPolicy.builder()
                    .maxAttempts(retry.maxAttempts())
                    .initialDelay(duration(retry.initialDelay(), where + ": @Retry initialDelay"))
                    .maxDelay(duration(retry.maxDelay(), where + ": @Retry maxDelay"))
                    .multiplier(retry.multiplier())
                    .jitter(retry.jitter())
                    .retryOn(retry.on())
                    .build();
        } catch (IllegalArgumentException e) {
            throw new WorkflowDefinitionException(where + ": bad @Retry: " + e.getMessage(), e);
        }
    }

    /** A {@code @Provides} method. */
    static final class MethodProvider extends Provider {
        private final Method method;
        private final List<ParamSpec> params;
        private final StepInvoker invoker;
        private final String owner;

        MethodProvider(Type type, Object holder, Method method, List<ParamSpec> params, StepInvoker invoker) {
            super(type);
            this.method = method;
            this.params = params;
            this.invoker = invoker;
            this.owner = holder.getClass().getName();
        }

        @Override
        List<Type> requires() {
            List<Type> types = new ArrayList<>();
            for (ParamSpec param : params) {
                if (param.kind() == ParamSpec.Kind.DEPENDENCY) {
                    types.add(param.type());
                }
            }
            return types;
        }

        @Override
        List<ParamSpec> params() {
            return params;
        }

        @Override
        boolean perStep() {
            return true;
        }

        @Override
        String describe() {
            return "provider " + owner + "." + method.getName() + " of " + type().getTypeName();
        }

        @Override
        @Nullable Object provide(StepScope scope) throws Exception {
            return invoker.invoke(scope);
        }
    }
}
