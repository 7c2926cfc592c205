package dev.ergate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ergate.InteropVectors.VectorJob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link JobCodec#decode} reads a job from the parser's tokens; the tree-based decode it replaced
 * ({@link JobCodec#decodeThroughTree}) is kept as the reference and as the error path. Over every
 * Python recording and a table of edge cases, both must accept the same documents with equal
 * jobs (same JSON node types, same field order and absent fields, so the same bytes written back),
 * and refuse the same ones with the same message. {@link JobCodecFuzzTest} runs the same
 * comparison over mutated and random documents.
 */
@DisplayName("The streaming decode")
class StreamingDecodeTest {

    static final JobCodec[] CODECS = {
        JobCodec.standard(),
        JobCodec.builder().dialect(StatusDialect.PYTHON_2024).build(),
        JobCodec.builder().dialect(StatusDialect.PYTHON_2025).build(),
        JobCodec.builder().maxDocumentBytes(200).build()
    };

    /**
     * Decodes both ways and fails unless they agree.
     *
     * @return true if the document was accepted
     */
    static boolean assertSameAsTree(JobCodec codec, byte[] json) {
        String shown = new String(json, StandardCharsets.UTF_8);
        Job expected = null;
        Throwable expectedError = null;
        try {
            expected = codec.decodeThroughTree(json);
        } catch (JobFormatException e) {
            expectedError = e;
        }
        Job streamed = json.length > codec.maxDocumentBytes() ? null : codec.decodeStreaming(json);
        if (expected == null) {
            assertThat(streamed).as("streaming accepted what the tree refused: %s", shown).isNull();
            Throwable actual = catchThrowable(() -> codec.decode(json));
            assertThat(actual).as(shown).isInstanceOf(JobFormatException.class);
            if (json.length <= codec.maxDocumentBytes()) {
                assertThat(actual).as(shown).hasMessage(expectedError.getMessage());
                assertThat(((JobFormatException) actual).field()).isEqualTo(((JobFormatException) expectedError).field());
            }
            return false;
        }
        assertThat(streamed).as("streaming refused what the tree accepted: %s", shown).isNotNull();
        assertThat(streamed).as(shown).isEqualTo(expected);
        // equal nodes, and also the same field order and absent fields: the same bytes back
        assertThat(new String(codec.encode(streamed), StandardCharsets.UTF_8)).as(shown)
                .isEqualTo(new String(codec.encode(expected), StandardCharsets.UTF_8));
        assertThat(JobCodec.standard().encodeToString(streamed)).isEqualTo(JobCodec.standard().encodeToString(expected));
        for (JobField field : JobField.ALL) {
            assertThat(streamed.isAbsent(field)).as("%s absent in %s", field, shown).isEqualTo(expected.isAbsent(field));
        }
        assertThat(codec.decode(json)).isEqualTo(expected);
        return true;
    }

    static boolean assertSameAsTree(JobCodec codec, String json) {
        return assertSameAsTree(codec, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("reads every Python recording as the tree did, compact, pretty-printed and as recorded")
    void recordings() throws Exception {
        ObjectMapper pretty = new ObjectMapper();
        List<String> documents = new ArrayList<>();
        for (VectorJob vector : InteropVectors.jobs()) {
            documents.add(vector.job().toString());
            documents.add(pretty.writerWithDefaultPrettyPrinter().writeValueAsString(vector.job()));
        }
        for (String file : InteropVectors.files()) {
            if (file.endsWith(".json")) {
                documents.add(String.join("\n", InteropVectors.readLines(file)));
            }
        }
        int accepted = 0;
        for (String document : documents) {
            for (JobCodec codec : CODECS) {
                accepted += assertSameAsTree(codec, document) ? 1 : 0;
            }
        }
        // the Python dialects accept every recording (the standard codec refuses integer statuses)
        assertThat(accepted).isGreaterThanOrEqualTo(2 * documents.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // accepted
        "{\"workflow_name\":\"w\"}",
        " \n{ \"workflow_name\" : \"w\" } \n",
        "{\"id\":1,\"workflow_name\":\"w\"}",
        "{\"id\":99999999999,\"workflow_name\":\"w\"}",
        "{\"id\":123456789012345678901234567890,\"workflow_name\":\"w\"}",
        "{\"id\":-5,\"workflow_name\":\"w\"}",
        "{\"id\":null,\"workflow_name\":\"w\",\"step_name\":null,\"exception_traceback\":null,\"requested_start_time\":null}",
        "{\"workflow_name\":\"w\",\"status\":\"running\",\"steps_completed\":3.0,\"percent_completed\":100}",
        "{\"workflow_name\":\"w\",\"steps_completed\":-0.0,\"percent_completed\":-0.0}",
        "{\"workflow_name\":\"w\",\"steps_completed\":2147483647,\"percent_completed\":1e-300}",
        "{\"workflow_name\":\"w\",\"status\":1}",
        "{\"workflow_name\":\"w\",\"status\":7}",
        "{\"workflow_name\":\"w\",\"requested_start_time\":\"2024-06-28T12:00:00\"}",
        "{\"workflow_name\":\"w\",\"requested_start_time\":\"2024-06-28T12:00:00.123456+02:00\"}",
        "{\"z\":1,\"workflow_name\":\"w\",\"a\":{\"b\":[1,2.5,-0.0,1e300,true,false,null,\"x\",{}]},\"m\":[]}",
        "{\"workflow_name\":\"w\",\"initial_input_value\":{\"n\":2147483648,\"big\":12345678901234567890,\"f\":1.0,\"e\":1E2}}",
        "{\"workflow_name\":\"w\",\"last_return_value\":[[[[[]]]]],\"user_context\":\"\"}",
        "{\"workflow_name\":\"w\",\"@class\":\"java.lang.Runtime\",\"current_step\":2,\"priority\":5}",
        "{\"workflow_name\":\"w\",\"initial_input_value\":\"\\u0000\\ud83d\\ude00\\\"\"}",
        "{\"workflow_name\":\"w\",\"initial_input_value\":{\"a\":1,\"A\":2}}",
        // the known names in Ergate's order (matched by bytes), and names near them that are not them
        "{\"id\":\"a\",\"workflow_name\":\"w\",\"step_name\":null,\"status\":\"QUEUED\",\"steps_completed\":0,"
                + "\"percent_completed\":0.0,\"initial_input_value\":\"x\",\"last_return_value\":null,"
                + "\"exception_traceback\":null,\"user_context\":null,\"requested_start_time\":null,\"current_step\":1}",
        "{ \"id\" : \"a\" ,\n \"workflow_name\" : \"w\" , \"step_name\":\"s\" }",
        "{\"id\":\"a\",\"workflow\\u005fname\":\"w\",\"st\\u0065p_name\":\"s\"}",
        "{\"id\":\"a\",\"workflow_nam\":\"x\",\"workflow_name_\":\"y\",\"workflow_name\":\"w\",\"Step_name\":1}",
        "{\"id\":\"a\",\"workflow_name\":\"w\",\"status\":\"QUEUED\",\"step_name\":\"s\",\"id_\":2}",
        "{\"workflow_name\":\"w\",\"requested_start_time\":null}",
        // refused: parse errors, duplicates at any depth, trailing tokens, numbers out of range
        "",
        "   ",
        "null",
        "[1,2]",
        "\"text\"",
        "{}",
        "{",
        "{\"workflow_name\":\"w\",}",
        "{\"workflow_name\":\"w\"} trailing",
        "{\"workflow_name\":\"w\"} {}",
        "{\"workflow_name\":\"w\"}}",
        "{\"workflow_name\":\"w\",\"workflow_name\":\"x\"}",
        "{\"workflow_name\":\"w\",\"x\":1,\"x\":2}",
        "{\"workflow_name\":\"w\",\"initial_input_value\":{\"a\":1,\"a\":2}}",
        "{\"workflow_name\":\"w\",\"x\":[{\"a\":1,\"a\":1}]}",
        "{\"id\":\"a\",\"id\":\"b\",\"workflow_name\":\"w\"}",
        "{\"id\":\"a\",\"workflow_name\":\"w\",\"step_name\":null,\"status\":\"QUEUED\",\"status\":\"RUNNING\"}",
        "{\"id\":\"a\",\"workflow_name\":\"w\",\"workflow\\u005fname\":\"w\"}",
        "{\"id\":\"a\",\"workflow_name\"",
        "{\"id\":\"a\",\"workflow_name",
        "{\"id\":\"a\",\"workflow_name\"\"w\"}",
        "{\"workflow_name\":\"w\",\"percent_completed\":1e309}",
        "{\"workflow_name\":\"w\",\"steps_completed\":1e309}",
        "{\"workflow_name\":\"w\",\"initial_input_value\":[1e309]}",
        "{\"workflow_name\":\"w\",\"initial_input_value\":NaN}",
        "{\"workflow_name\":\"w\",\"status\":\"SLEEPING\",\"x\":}",
        "{\"status\":\"SLEEPING\",\"workflow_name\":\"w\",\"id\":1.5}",
        "{\"id\":1.5,\"status\":\"SLEEPING\",\"workflow_name\":\"w\"}",
        "{\"status\":\"RUNNING\"}",
        "{\"status\":\"SLEEPING\"}",
        "{\"workflow_name\":\"w\",\"status\":2.0}",
        "{\"workflow_name\":\"w\",\"status\":99999999999999999999}",
        "{\"workflow_name\":\"w\",\"steps_completed\":-1}",
        "{\"workflow_name\":\"w\",\"steps_completed\":2147483648}",
        "{\"workflow_name\":\"w\",\"steps_completed\":3.5}",
        "{\"workflow_name\":\"w\",\"percent_completed\":\"5\"}",
        "{\"workflow_name\":\"  \"}",
        "{\"workflow_name\":null}",
        "{\"workflow_name\":\"w\",\"requested_start_time\":\"2024-13-45T99:00:00Z\"}",
        "{\"workflow_name\":\"w\",\"id\":\"\"}",
        "{\"workflow_name\":\"w\",\"step_name\":[]}",
        "{'workflow_name':'w'}",
        "{\"workflow_name\":\"w\"/*c*/}",
        "\u0000\u0001",
    })
    @DisplayName("agrees with the tree on edge cases, accepted and refused, for every codec")
    void edgeCases(String json) {
        for (JobCodec codec : CODECS) {
            assertSameAsTree(codec, json);
        }
    }

    @Test
    @DisplayName("refuses nesting past the limit as the tree did, and accepts it up to the limit")
    void nesting() {
        String atLimit = "{\"workflow_name\":\"w\",\"x\":" + "[".repeat(JobCodec.MAX_NESTING_DEPTH - 1)
                + "]".repeat(JobCodec.MAX_NESTING_DEPTH - 1) + "}";
        String overLimit = "{\"workflow_name\":\"w\",\"x\":" + "[".repeat(JobCodec.MAX_NESTING_DEPTH)
                + "]".repeat(JobCodec.MAX_NESTING_DEPTH) + "}";
        assertThat(assertSameAsTree(JobCodec.standard(), atLimit)).isTrue();
        assertThat(assertSameAsTree(JobCodec.standard(), overLimit)).isFalse();
    }

    @Test
    @DisplayName("names the first problem in the document, a parse error before any field error, as before")
    void errorMessages() {
        JobCodec codec = JobCodec.standard();
        assertThatThrownBy(() -> codec.decode("{\"workflow_name\":\"w\",\"workflow_name\":\"x\"}"))
                .isInstanceOf(JobFormatException.class)
                .hasMessageStartingWith("not valid JSON: Duplicate field 'workflow_name'");
        assertThatThrownBy(() -> codec.decode("{\"workflow_name\":\"w\"} {}"))
                .isInstanceOf(JobFormatException.class)
                .hasMessageStartingWith("not valid JSON: Trailing token");
        // the bad status comes first, but the document is not JSON: that is what is reported
        assertThatThrownBy(() -> codec.decode("{\"workflow_name\":\"w\",\"status\":\"SLEEPING\",\"x\":}"))
                .isInstanceOf(JobFormatException.class)
                .hasMessageStartingWith("not valid JSON: Unexpected character ('}'");
        // of two bad fields, the first in the document
        assertThatThrownBy(() -> codec.decode("{\"id\":1.5,\"status\":\"SLEEPING\",\"workflow_name\":\"w\"}"))
                .isInstanceOf(JobFormatException.class)
                .hasMessage("id must be a non-empty string, an integer or null, got 1.5");
        // a missing workflow_name before a bad field
        assertThatThrownBy(() -> codec.decode("{\"status\":\"SLEEPING\"}"))
                .isInstanceOf(JobFormatException.class)
                .hasMessage("workflow_name is required, got nothing");
        assertThatThrownBy(() -> codec.decode("{\"workflow_name\":\"w\",\"percent_completed\":1e309}"))
                .isInstanceOf(JobFormatException.class)
                .hasMessageContaining("not valid JSON").hasMessageContaining("out of range of a double");
    }

    @Test
    @DisplayName("reads every number to the same double as Double.parseDouble (the fast double parser is on)")
    void doublesAsJava() {
        java.util.Random random = new java.util.Random(42);
        StringBuilder json = new StringBuilder("{\"workflow_name\":\"w\",\"initial_input_value\":[");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            double value = switch (i % 4) {
                case 0 -> Double.longBitsToDouble(random.nextLong());
                case 1 -> random.nextDouble() * 100;
                case 2 -> (double) random.nextInt(1000) / (1 + random.nextInt(999));
                default -> random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
            };
            if (!Double.isFinite(value)) {
                continue;
            }
            // shortest form, 17 significant digits, and the exact decimal expansion cut at 25 digits
            for (String text : List.of(Double.toString(value), String.format(java.util.Locale.ROOT, "%.16e", value),
                    new java.math.BigDecimal(value).round(new java.math.MathContext(25)).toString())) {
                texts.add(text);
                json.append(texts.size() == 1 ? "" : ",").append(text);
            }
        }
        json.append("]}");
        JsonNode values = JobCodec.standard().decode(json.toString()).initialInputValue();
        assertThat(values.size()).isEqualTo(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            assertThat(values.get(i).doubleValue()).as(texts.get(i)).isEqualTo(Double.parseDouble(texts.get(i)));
        }
        assertSameAsTree(JobCodec.standard(), json.toString());
    }

    @Test
    @DisplayName("keeps extra fields in document order, as data, next to the known ones")
    void extraFieldsInOrder() {
        Job job = JobCodec.standard().decode("{\"z\":1,\"workflow_name\":\"w\",\"a\":{\"b\":2},\"m\":null}");
        assertThat(job.extraFields().keySet()).containsExactly("z", "a", "m");
        JsonNode a = job.extraField("a");
        assertThat(a).isNotNull();
        assertThat(a.get("b").intValue()).isEqualTo(2);
        assertThat(JobCodec.standard().encodeToString(job))
                .isEqualTo("{\"workflow_name\":\"w\",\"z\":1,\"a\":{\"b\":2},\"m\":null}");
    }

}
