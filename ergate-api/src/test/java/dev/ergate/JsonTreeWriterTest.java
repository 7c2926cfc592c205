package dev.ergate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonTreeWriter} must write every tree byte for byte as {@link ObjectMapper#writeTree}
 * does (what {@link JobCodec#encode} wrote before it, and what the Python interop recordings
 * hold): the nodes it writes itself, and the ones it hands to the mapper, at any depth. The seed
 * is fixed so a failure reproduces.
 */
@DisplayName("The tree writer")
class JsonTreeWriterTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String CHARS = "aZ09 \"\\/\b\f\n\r\t\u0000\u001f\u007f\u0080é€\u2028\ud83d\ude00\ud800\udc00";

    private static final String ASCII_CHARS = "aZ09 \"\\/\b\f\n\r\t\u0000\u0001\u001f\u007f";

    private final ObjectMapper mapper = new ObjectMapper();
    private final Random random = new Random(0x7EE_C0DEL);

    @Test
    @DisplayName("writes random trees of every node type as the mapper does (3,000 trees)")
    void randomTrees() throws IOException {
        for (int i = 0; i < 3_000; i++) {
            assertSameAsMapper(tree(0));
        }
    }

    @Test
    @DisplayName("writes the values it hands to the mapper, and nulls, as the mapper does")
    void otherNodes() throws IOException {
        ObjectNode object = NODES.objectNode();
        object.set("decimal", NODES.numberNode(new BigDecimal("1.50")));
        object.set("float", NODES.numberNode(0.1f));
        object.set("short", NODES.numberNode((short) 7));
        object.set("binary", NODES.binaryNode(new byte[] {1, 2, 3, (byte) 0xff}));
        object.set("pojo", NODES.pojoNode(Map.of("k", List.of(1, "two"))));
        object.set("missing", MissingNode.getInstance());
        object.set("text of null", new TextNode(null));
        object.set("subclass", new ObjectNode(NODES) {
            private static final long serialVersionUID = 1L;

            @Override
            public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
                g.writeString("written by the subclass");
            }
        });
        assertSameAsMapper(object);
        assertThat(written(object)).contains("written by the subclass");
        assertSameAsMapper(null);
    }

    private void assertSameAsMapper(JsonNode tree) throws IOException {
        String expected = write(gen -> mapper.writeTree(gen, tree));
        assertThat(written(tree)).as("%s", expected).isEqualTo(expected);
    }

    private String written(JsonNode tree) throws IOException {
        return write(gen -> JsonTreeWriter.write(tree, gen, mapper));
    }

    private interface Writing {
        void to(JsonGenerator gen) throws IOException;
    }

    private String write(Writing writing) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator gen = mapper.getFactory().createGenerator(out)) {
            gen.writeStartArray(); // as a job's field, the value is inside a container
            writing.to(gen);
            gen.writeEndArray();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private JsonNode tree(int depth) {
        int kind = random.nextInt(depth > 4 ? 12 : 14);
        return switch (kind) {
            case 0 -> NODES.textNode(text());
            case 1 -> NODES.numberNode(random.nextInt());
            case 2 -> NODES.numberNode(random.nextLong());
            case 3 -> NODES.numberNode(random.nextBoolean() ? random.nextDouble() * 100 : Double.longBitsToDouble(random.nextLong()));
            case 4 -> NODES.numberNode(new BigInteger(100, random).negate());
            case 5 -> NODES.booleanNode(random.nextBoolean());
            case 6 -> NODES.nullNode();
            case 7 -> NODES.numberNode(new BigDecimal(random.nextInt(100_000)).movePointLeft(random.nextInt(8)));
            case 8 -> NODES.numberNode(random.nextFloat());
            case 9 -> NODES.numberNode((short) random.nextInt());
            case 10 -> NODES.binaryNode(text().getBytes(StandardCharsets.UTF_8));
            case 11 -> NODES.pojoNode(List.of(text(), random.nextInt()));
            case 12 -> {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    object.set(text(), tree(depth + 1));
                }
                yield object;
            }
            default -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    array.add(tree(depth + 1));
                }
                yield array;
            }
        };
    }

    /** {@return a random string, half of them ASCII only (written from their bytes)} */
    private String text() {
        String chars = random.nextBoolean() ? CHARS : ASCII_CHARS;
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(random.nextBoolean() ? 40 : 3000); i > 0; i--) {
            text.append(chars.charAt(random.nextInt(chars.length())));
        }
        return text.toString();
    }
}
