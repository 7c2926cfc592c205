package dev.ergate.runtime;

import java.lang.reflect.Type;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** How one dependency is obtained. Thread-safe. */
abstract class Provider {

    private final Type type;

    Provider(Type type) {
        this.type = type;
    }

    /** {@return the type it provides, its key} */
    final Type type() {
        return type;
    }

    /** {@return the dependency types it needs, known before it runs (for cycle checks)} */
    abstract List<Type> requires();

    /** {@return its parameters (for validation); empty for lambda providers} */
    List<ParamSpec> params() {
        return List.of();
    }

    /** {@return true when each step execution gets its own instance, closed after the step} */
    abstract boolean perStep();

    /** {@return a short description for messages} */
    abstract String describe();

    /** {@return the instance; null only from a faulty provider, which the caller reports} */
    abstract @Nullable Object provide(StepScope scope) throws Exception;

    /** {@return true when a per-step instance of this provider must be torn down after the step} */
    boolean needsTeardown(Object instance) {
        return perStep() && instance instanceof AutoCloseable;
    }

    /** Tears a per-step instance down after the step; the default closes an {@link AutoCloseable}. */
    void teardown(Object instance, @Nullable Throwable stepFailure) throws Exception {
        if (instance instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    static final class Singleton extends Provider {
        private final Object instance;

        Singleton(Type type, Object instance) {
            super(type);
            this.instance = instance;
        }

        @Override
        List<Type> requires() {
            return List.of();
        }

        @Override
        boolean perStep() {
            return false;
        }

        @Override
        String describe() {
            return "singleton " + type().getTypeName();
        }

        @Override
        Object provide(StepScope scope) {
            return instance;
        }
    }

    static final class Factory extends Provider {
        private final DependencyFactory<?> factory;

        Factory(Type type, DependencyFactory<?> factory) {
            super(type);
            this.factory = factory;
        }

        @Override
        List<Type> requires() {
            return List.of();
        }

        @Override
        boolean perStep() {
            return true;
        }

        @Override
        String describe() {
            return "factory of " + type().getTypeName();
        }

        @Override
        Object provide(StepScope scope) throws Exception {
            return factory.create(scope);
        }

        @Override
        boolean needsTeardown(Object instance) {
            return true; // the factory's close may do something for any instance
        }

        @Override
        void teardown(Object instance, @Nullable Throwable stepFailure) throws Exception {
            closeWith(factory, instance, stepFailure);
        }

        @SuppressWarnings("unchecked") // the instance came from this factory's create
        private static <T> void closeWith(DependencyFactory<T> factory, Object instance, @Nullable Throwable failure)
                throws Exception {
            factory.close((T) instance, failure);
        }
    }

    /** Asks a {@link DependencyLookup} (a DI container) each time; the container owns the instance. */
    static final class Lookup extends Provider {
        private final DependencyLookup lookup;

        Lookup(Type type, DependencyLookup lookup) {
            super(type);
            this.lookup = lookup;
        }

        @Override
        List<Type> requires() {
            return List.of();
        }

        @Override
        boolean perStep() {
            return false;
        }

        @Override
        String describe() {
            return "lookup of " + type().getTypeName();
        }

        @Override
        Object provide(StepScope scope) throws Exception {
            return lookup.get(type());
        }
    }
}
