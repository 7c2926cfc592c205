package dev.ergate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes a job's JSON values (trees) to a generator the way {@link ObjectMapper#writeTree} does,
 * byte for byte, without its per-call cost: {@code writeTree} makes a serializer provider, looks
 * the node's serializer up and flushes the generator on every call, and a job has four or more
 * values. Nodes of the classes {@link JobCodec} decodes to (and {@code JsonNodeFactory} makes for
 * them) are written here, each with the generator call its own {@code serialize} makes with the
 * codec's mapper's default features (no sorting, no skipped nulls or empty arrays); any other
 * node (a subclass, a {@code POJONode}, a {@code DecimalNode}, ...) is handed to the mapper.
 * Stateless.
 */
final class JsonTreeWriter {

    /** From this length on, a string's bytes are worth a copy (see {@link #writeString}). */
    private static final int BYTES_FROM = 16;
    /** Up to this length: the copy is garbage, and a long one would double what an encode allocates. */
    private static final int BYTES_UP_TO = 4096;

    private JsonTreeWriter() {
    }

    /**
     * @param value the value to write ({@code null} is written as the mapper writes it: JSON null)
     * @param gen where to
     * @param mapper writes the nodes this class does not know
     */
    static void write(@Nullable JsonNode value, JsonGenerator gen, ObjectMapper mapper) throws IOException {
        if (value == null) {
            gen.writeNull(); // as the mapper's null serializer
            return;
        }
        // exact classes: a subclass may serialize itself differently
        Class<?> type = value.getClass();
        if (type == TextNode.class) {
            String text = value.textValue();
            if (text == null) {
                gen.writeNull();
            } else {
                writeString(text, gen);
            }
        } else if (type == NullNode.class) {
            gen.writeNull();
        } else if (type == ObjectNode.class) {
            ObjectNode object = (ObjectNode) value;
            gen.writeStartObject(object, object.size());
            for (Map.Entry<String, JsonNode> entry : object.properties()) {
                gen.writeFieldName(entry.getKey());
                write(entry.getValue(), gen, mapper);
            }
            gen.writeEndObject();
        } else if (type == ArrayNode.class) {
            ArrayNode array = (ArrayNode) value;
            int size = array.size();
            gen.writeStartArray(array, size);
            for (int i = 0; i < size; i++) {
                write(array.get(i), gen, mapper);
            }
            gen.writeEndArray();
        } else if (type == IntNode.class) {
            gen.writeNumber(value.intValue());
        } else if (type == LongNode.class) {
            gen.writeNumber(value.longValue());
        } else if (type == DoubleNode.class) {
            gen.writeNumber(value.doubleValue());
        } else if (type == BooleanNode.class) {
            gen.writeBoolean(value.booleanValue());
        } else if (type == BigIntegerNode.class) {
            gen.writeNumber(value.bigIntegerValue());
        } else {
            mapper.writeTree(gen, value);
        }
    }

    /**
     * Writes a string as {@link JsonGenerator#writeString(String)} does. An ASCII string is
     * handed over as its bytes: {@code String.getBytes} copies those in bulk, and the generator
     * then checks bytes for escapes and copies them, where for a {@code String} it takes and
     * checks one char at a time. (The generator escapes the same characters either way; other
     * strings, whose surrogates it writes as escapes, and long ones go the usual way.)
     */
    static void writeString(String text, JsonGenerator gen) throws IOException {
        if (text.length() >= BYTES_FROM && text.length() <= BYTES_UP_TO) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            if (utf8.length == text.length()) { // one byte per char: ASCII only
                gen.writeUTF8String(utf8, 0, utf8.length);
                return;
            }
        }
        gen.writeString(text);
    }
}
