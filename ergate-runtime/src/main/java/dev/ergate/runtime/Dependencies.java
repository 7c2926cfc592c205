package dev.ergate.runtime;

import java.lang.reflect.Type;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The dependencies steps can ask for, keyed by type: {@linkplain Builder#singleton singletons},
 * {@linkplain Builder#perStep per-step factories} (an {@link AutoCloseable} result is closed
 * after the step, newest first), {@linkplain Builder#providers annotated providers} and a
 * {@linkplain Builder#fallback fallback lookup}; a workflow's own set is looked up before the
 * app's. Immutable and thread-safe.
 */
public final class Dependencies {

    private static final Dependencies NONE = builder().build();

    private final Map<Type, Provider> providers;
    private final @Nullable DependencyLookup fallback;

    private Dependencies(Map<Type, Provider> providers, @Nullable DependencyLookup fallback) {
        this.providers = Map.copyOf(providers);
        this.fallback = fallback;
    }

    /** {@return an empty set} */
    public static Dependencies none() {
        return NONE;
    }

    /** {@return a builder for a new set} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the types that have a provider here} */
    public Collection<Type> types() {
        return providers.keySet();
    }

    Optional<Provider> provider(Type type) {
        Provider provider = providers.get(type);
        if (provider == null && fallback != null && fallback.provides(type)) {
            provider = new Provider.Lookup(type, fallback);
        }
        return Optional.ofNullable(provider);
    }

    /** Builds {@link Dependencies}. A later registration for the same type replaces the earlier. Not thread-safe. */
    public static final class Builder {
        private final Map<Type, Provider> providers = new LinkedHashMap<>();
        private @Nullable DependencyLookup fallback;

        private Builder() {
        }

        /**
         * @param type the type steps ask for
         * @param instance the shared instance (its life is the caller's to manage)
         * @param <T> that type
         * @return this builder
         */
        public <T> Builder singleton(Class<T> type, T instance) {
            return add(new Provider.Singleton(type, Objects.requireNonNull(instance, "instance")));
        }

        /**
         * @param type the generic type steps ask for
         * @param instance the shared instance
         * @param <T> that type
         * @return this builder
         */
        public <T> Builder singleton(TypeRef<T> type, T instance) {
            return add(new Provider.Singleton(type.type(), Objects.requireNonNull(instance, "instance")));
        }

        /**
         * @param type the type steps ask for
         * @param factory creates one instance per step execution
         * @param <T> that type
         * @return this builder
         */
        public <T> Builder perStep(Class<T> type, DependencyFactory<? extends T> factory) {
            return add(new Provider.Factory(type, Objects.requireNonNull(factory, "factory")));
        }

        /**
         * @param type the generic type steps ask for
         * @param factory creates one instance per step execution
         * @param <T> that type
         * @return this builder
         */
        public <T> Builder perStep(TypeRef<T> type, DependencyFactory<? extends T> factory) {
            return add(new Provider.Factory(type.type(), Objects.requireNonNull(factory, "factory")));
        }

        /**
         * Registers every {@link dev.ergate.runtime.annotations.Provides @Provides} method of
         * {@code holder}, keyed by its generic return type.
         *
         * @param holder an object with {@code @Provides} methods
         * @return this builder
         * @throws WorkflowDefinitionException if a method can't be used as a provider
         */
        public Builder providers(Object holder) {
            for (Provider provider : AnnotatedWorkflows.providersOf(holder, holder.getClass().getName())) {
                add(provider);
            }
            return this;
        }

        /**
         * @param other another set, whose registrations are added (replacing same-typed ones)
         * @return this builder
         */
        public Builder addAll(Dependencies other) {
            providers.putAll(other.providers);
            if (other.fallback != null) {
                fallback = other.fallback;
            }
            return this;
        }

        /**
         * @param lookup asked for any type no registration of this set provides (a DI container);
         *     {@code null} for none. Its instances are shared and never closed by Ergate.
         * @return this builder
         */
        public Builder fallback(@Nullable DependencyLookup lookup) {
            this.fallback = lookup;
            return this;
        }

        Builder add(Provider provider) {
            providers.put(provider.type(), provider);
            return this;
        }

        /** {@return the set} */
        public Dependencies build() {
            return new Dependencies(providers, fallback);
        }
    }
}
