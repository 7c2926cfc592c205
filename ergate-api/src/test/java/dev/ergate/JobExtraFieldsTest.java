package dev.ergate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The extra fields' own map (arrays, copy on write, a hash index past a few fields) against a LinkedHashMap. */
class JobExtraFieldsTest {

    @Test
    @DisplayName("random sets and removes, with up to 40 fields, read as a LinkedHashMap would, and built jobs never change")
    void behavesAsALinkedHashMap() {
        Random random = new Random(15);
        for (int round = 0; round < 300; round++) {
            Map<String, JsonNode> model = new LinkedHashMap<>();
            Job.Builder builder = Job.builder().workflowName("w");
            List<Job> built = new ArrayList<>();
            List<Map<String, JsonNode>> builtModels = new ArrayList<>();
            int names = 1 + random.nextInt(40);
            for (int edit = 0; edit < 120; edit++) {
                String name = "f" + random.nextInt(names);
                if (random.nextInt(4) == 0) {
                    builder.extraField(name, null);
                    model.remove(name);
                } else {
                    IntNode value = IntNode.valueOf(random.nextInt(3));
                    builder.extraField(name, value);
                    model.put(name, value);
                }
                if (random.nextInt(5) == 0) {
                    Job job = builder.build();
                    built.add(job);
                    builtModels.add(new LinkedHashMap<>(model));
                    if (random.nextBoolean()) {
                        builder = job.toBuilder(); // go on from the built job's own arrays
                    }
                }
            }
            Job last = builder.build();
            built.add(last);
            builtModels.add(model);
            for (int i = 0; i < built.size(); i++) {
                Map<String, JsonNode> extras = built.get(i).extraFields();
                Map<String, JsonNode> expected = builtModels.get(i);
                assertThat(extras).isEqualTo(expected);
                assertThat(expected).isEqualTo(extras);
                assertThat(extras.hashCode()).isEqualTo(expected.hashCode());
                assertThat(new ArrayList<>(extras.keySet())).containsExactlyElementsOf(expected.keySet());
                assertThat(extras.toString()).isEqualTo(expected.toString());
                for (int n = 0; n < names; n++) {
                    assertThat(built.get(i).extraField("f" + n)).isEqualTo(expected.get("f" + n));
                }
            }
        }
    }

    @Test
    @DisplayName("a deep copy copies the JSON objects among many extra fields and finds each by name")
    void deepCopyOfManyFields() {
        Job.Builder builder = Job.builder().workflowName("w");
        for (int i = 0; i < 20; i++) {
            ObjectNode tree = JsonNodeFactory.instance.objectNode().put("n", i);
            builder.extraField("f" + i, tree);
        }
        Job original = builder.build();
        Job copy = original.deepCopy();

        ((ObjectNode) copy.extraField("f17")).put("n", -1);

        assertThat(original.extraField("f17").get("n").intValue()).isEqualTo(17);
        assertThat(copy.extraField("f17").get("n").intValue()).isEqualTo(-1);
        assertThat(copy.extraFields().keySet()).containsExactlyElementsOf(original.extraFields().keySet());
    }

    @Test
    @DisplayName("a document with many unknown fields decodes in document order, a field given twice refused")
    void decodesManyFields() {
        StringBuilder json = new StringBuilder("{\"workflow_name\":\"w\"");
        for (int i = 0; i < 50; i++) {
            json.append(",\"u").append(49 - i).append("\":").append(i);
        }
        Job job = JobCodec.standard().decode((json + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(job.extraFields()).hasSize(50);
        assertThat(job.extraFields().keySet().iterator().next()).isEqualTo("u49");
        assertThat(job.extraField("u0")).isEqualTo(IntNode.valueOf(49));
        byte[] twice = (json + ",\"u7\":1}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JobCodec.standard().decode(twice))
                .isInstanceOf(JobFormatException.class);
    }
}
