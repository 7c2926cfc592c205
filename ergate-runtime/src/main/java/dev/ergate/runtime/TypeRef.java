package dev.ergate.runtime;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A type token for generic types such as {@code List<Order>}, which a {@code Class} can't name:
 * {@code new TypeRef<List<Order>>() {}}. Step inputs, user contexts and dependencies are declared
 * with a {@code Class} or a {@code TypeRef}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <T> the type it stands for
 */
public abstract class TypeRef<T> {

    private final Type type;

    /** Captures the type argument of the anonymous subclass. */
    protected TypeRef() {
        Type superclass = getClass().getGenericSuperclass();
        if (!(superclass instanceof ParameterizedType parameterized)) {
            throw new IllegalStateException(
                    "a TypeRef must be created with its type argument, like new TypeRef<List<String>>() {}");
        }
        this.type = parameterized.getActualTypeArguments()[0];
    }

    private TypeRef(Type type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    /**
     * @param type any Java type
     * @param <T> the type, unchecked
     * @return a token for it
     */
    public static <T> TypeRef<T> of(Type type) {
        return new TypeRef<T>(type) { };
    }

    /** {@return the Java type this token stands for} */
    public Type type() {
        return type;
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof TypeRef<?> that && type.equals(that.type);
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public String toString() {
        return type.getTypeName();
    }
}
