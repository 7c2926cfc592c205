package dev.ergate.runtime;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.lang.reflect.Type;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/** Converts JSON values to declared Java types and back, with one shared ObjectMapper. Thread-safe. */
final class ValueConverter {

    private static final int SHOWN_VALUE_CHARS = 120;

    private final ObjectMapper mapper;
    private final ConcurrentMap<Type, JavaType> javaTypes = new ConcurrentHashMap<>();

    ValueConverter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /**
     * @param node the JSON value
     * @param type the target type
     * @return the converted value, {@code null} for JSON null
     * @throws IllegalArgumentException with the mapper's reason when it does not convert
     */
    @Nullable Object fromJson(JsonNode node, Type type) {
        if (type instanceof Class<?> cls && JsonNode.class.isAssignableFrom(cls)) {
            if (cls.isInstance(node)) {
                return node;
            }
            throw new IllegalArgumentException("the JSON value is a " + node.getNodeType() + " node");
        }
        if (node.isNull() || node.isMissingNode()) {
            if (type instanceof Class<?> cls && cls.isPrimitive()) {
                throw new IllegalArgumentException("null can't be a " + cls.getName());
            }
            return null;
        }
        JavaType javaType = javaTypes.computeIfAbsent(type, t -> mapper.getTypeFactory().constructType(t));
        try {
            return mapper.treeToValue(node, javaType);
        } catch (Exception e) {
            throw new IllegalArgumentException(firstLine(e.getMessage()), e);
        }
    }

    /**
     * @param value a step's return value
     * @return it as JSON; NullNode for null
     * @throws IllegalArgumentException when it can't be written as JSON
     */
    JsonNode toJson(@Nullable Object value) {
        if (value == null) {
            return NullNode.getInstance();
        }
        if (value instanceof JsonNode node) {
            return node;
        }
        try {
            JsonNode node = mapper.valueToTree(value);
            return node == null ? NullNode.getInstance() : node;
        } catch (Exception e) {
            throw new IllegalArgumentException(firstLine(e.getMessage()), e);
        }
    }

    static String show(JsonNode value) {
        String text = value.toString();
        return text.length() <= SHOWN_VALUE_CHARS
                ? text
                : text.substring(0, SHOWN_VALUE_CHARS) + "... (" + text.length() + " chars)";
    }

    static String firstLine(@Nullable String message) {
        if (message == null) {
            return "no reason given";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
