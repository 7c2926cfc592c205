package dev.ergate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JobCodecTest {

    private final JobCodec codec = JobCodec.standard();

    @Nested
    @DisplayName("writing")
    class Writing {

        @Test
        @DisplayName("writes every field with Python's names and the status by name")
        void writesEveryField() {
            ObjectNode input = JsonNodeFactory.instance.objectNode().put("amount", 12.5);
            Job job = Job.builder()
                    .id("order-1")
                    .workflowName("orders")
                    .stepName("charge")
                    .status(JobStatus.RUNNING)
                    .stepsCompleted(2)
                    .percentCompleted(50.0)
                    .initialInputValue(input)
                    .exceptionTraceback(null)
                    .requestedStartTime(Instant.parse("2026-01-02T03:04:05.123Z"))
                    .build();

            assertThat(codec.encodeToString(job)).isEqualTo("{\"id\":\"order-1\",\"workflow_name\":\"orders\","
                    + "\"step_name\":\"charge\",\"status\":\"RUNNING\",\"steps_completed\":2,"
                    + "\"percent_completed\":50.0,\"initial_input_value\":{\"amount\":12.5},"
                    + "\"last_return_value\":null,\"exception_traceback\":null,\"user_context\":null,"
                    + "\"requested_start_time\":\"2026-01-02T03:04:05.123Z\"}");
        }

        @Test
        @DisplayName("writes integer codes of the chosen dialect, and refuses a status the dialect lacks")
        void writesCodes() {
            JobCodec v2024 = JobCodec.builder().dialect(StatusDialect.PYTHON_2024).writeStatusCodes(true).build();
            JobCodec v2025 = JobCodec.builder().dialect(StatusDialect.PYTHON_2025).writeStatusCodes(true).build();
            Job running = Job.builder().workflowName("w").status(JobStatus.RUNNING).build();

            assertThat(v2024.toTree(running).get("status").intValue()).isEqualTo(2);
            assertThat(v2025.toTree(running).get("status").intValue()).isEqualTo(3);
            assertThatThrownBy(() -> v2024.encode(running.toBuilder().status(JobStatus.PENDING).build()))
                    .isInstanceOf(JobFormatException.class)
                    .hasMessageContaining("PENDING").hasMessageContaining("PYTHON_2024");
        }

        @Test
        @DisplayName("writes a Python dialect's codes by default, names without a dialect or when told")
        void pythonDialectWritesCodesByDefault() {
            Job running = Job.builder().workflowName("w").status(JobStatus.RUNNING).build();

            assertThat(JobCodec.builder().dialect(StatusDialect.PYTHON_2025).build().toTree(running)
                    .get("status").intValue()).isEqualTo(3);
            assertThat(JobCodec.builder().dialect(StatusDialect.PYTHON_2024).build().toTree(running)
                    .get("status").intValue()).isEqualTo(2);
            assertThat(JobCodec.builder().dialect(StatusDialect.PYTHON_2025).writeStatusCodes(false).build()
                    .toTree(running).get("status").asText()).isEqualTo("RUNNING");
            assertThat(JobCodec.standard().toTree(running).get("status").asText()).isEqualTo("RUNNING");
        }

        @Test
        @DisplayName("refuses to write codes without a Python dialect")
        void codesNeedDialect() {
            assertThatThrownBy(() -> JobCodec.builder().writeStatusCodes(true).build())
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Nested
    @DisplayName("reading")
    class Reading {

        @ParameterizedTest
        @ValueSource(strings = {"queued", "QUEUED", "Queued", " queued "})
        @DisplayName("reads a status name in any case")
        void statusAnyCase(String name) {
            assertThat(codec.decode("{\"workflow_name\":\"w\",\"status\":\"" + name + "\"}").status())
                    .isEqualTo(JobStatus.QUEUED);
        }

        @Test
        @DisplayName("keeps an id's kind: a string stays a string, a number stays a number")
        void idKinds() {
            Job text = codec.decode("{\"workflow_name\":\"w\",\"id\":\"7\"}");
            Job number = codec.decode("{\"workflow_name\":\"w\",\"id\":7}");
            Job big = codec.decode("{\"workflow_name\":\"w\",\"id\":123456789012345678901234567890}");

            assertThat(text.id()).isEqualTo(JobId.of("7")).isNotEqualTo(number.id());
            assertThat(codec.encodeToString(text)).contains("\"id\":\"7\"");
            assertThat(codec.encodeToString(number)).contains("\"id\":7");
            assertThat(codec.encodeToString(big)).contains("\"id\":123456789012345678901234567890");
        }

        @ParameterizedTest
        @CsvSource({
            "2024-06-28T12:00:00Z,        2024-06-28T12:00:00Z",
            "2024-06-28T14:00:00+02:00,   2024-06-28T12:00:00Z",
            "2024-06-28T07:00:00-05:00,   2024-06-28T12:00:00Z",
            "2024-06-28T12:00:00.250+00:00, 2024-06-28T12:00:00.250Z",
            "2024-06-28T12:00:00,         2024-06-28T12:00:00Z"
        })
        @DisplayName("reads requested_start_time with Z, an offset, or none (UTC)")
        void times(String text, String expected) {
            Job job = codec.decode("{\"workflow_name\":\"w\",\"requested_start_time\":\"" + text + "\"}");
            assertThat(job.requestedStartTime()).isEqualTo(Instant.parse(expected));
        }

        @Test
        @DisplayName("keeps unknown fields, including ones that look like type hints, as plain data")
        void unknownFields() {
            String json = "{\"workflow_name\":\"w\",\"@class\":\"java.lang.ProcessBuilder\","
                    + "\"current_step\":3,\"nested\":{\"a\":[1,2,{\"b\":null}]}}";
            Job job = codec.decode(json);

            assertThat(job.extraFields()).containsOnlyKeys("@class", "current_step", "nested");
            assertThat(job.extraField("@class").asText()).isEqualTo("java.lang.ProcessBuilder");
            assertThat(codec.toTree(job)).isEqualTo(InteropVectors.parse(json));
        }

        @Test
        @DisplayName("leaves out on writing the known fields the document lacked, until they are set")
        void absentFieldsStayAbsent() {
            Job job = codec.decode("{\"workflow_name\":\"w\"}");
            assertThat(codec.encodeToString(job)).isEqualTo("{\"workflow_name\":\"w\"}");

            Job changed = job.toBuilder().status(JobStatus.RUNNING).build();
            assertThat(codec.encodeToString(changed)).isEqualTo("{\"workflow_name\":\"w\",\"status\":\"RUNNING\"}");
        }

        @Test
        @DisplayName("accepts a whole number written as a float for steps_completed, as Python does")
        void wholeFloatCount() {
            assertThat(codec.decode("{\"workflow_name\":\"w\",\"steps_completed\":3.0}").stepsCompleted()).isEqualTo(3);
        }
    }

    @Nested
    @DisplayName("bad input raises JobFormatException naming the field and the value")
    class BadInput {

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "[1,2]                                                   | <whole document> | array [1,2]",
            "\"text\"                                                | <whole document> | \"text\"",
            "{}                                                      | workflow_name    | got nothing",
            "{\"workflow_name\":\"  \"}                              | workflow_name    | \"  \"",
            "{\"workflow_name\":null}                                | workflow_name    | null",
            "{\"workflow_name\":5}                                   | workflow_name    | 5",
            "{\"workflow_name\":\"w\",\"steps_completed\":-1}        | steps_completed  | -1",
            "{\"workflow_name\":\"w\",\"steps_completed\":1.5}       | steps_completed  | 1.5",
            "{\"workflow_name\":\"w\",\"steps_completed\":\"2\"}     | steps_completed  | \"2\"",
            "{\"workflow_name\":\"w\",\"steps_completed\":9999999999}| steps_completed  | 9999999999",
            "{\"workflow_name\":\"w\",\"percent_completed\":100.5}   | percent_completed| 100.5",
            "{\"workflow_name\":\"w\",\"percent_completed\":-0.1}    | percent_completed| -0.1",
            "{\"workflow_name\":\"w\",\"status\":\"SLEEPING\"}       | status           | \"SLEEPING\"",
            "{\"workflow_name\":\"w\",\"status\":2}                  | status           | 2",
            "{\"workflow_name\":\"w\",\"status\":true}               | status           | true",
            "{\"workflow_name\":\"w\",\"requested_start_time\":\"tomorrow\"} | requested_start_time | \"tomorrow\"",
            "{\"workflow_name\":\"w\",\"requested_start_time\":17}   | requested_start_time | 17",
            "{\"workflow_name\":\"w\",\"id\":1.5}                    | id               | 1.5",
            "{\"workflow_name\":\"w\",\"id\":\"\"}                   | id               | \"\"",
            "{\"workflow_name\":\"w\",\"step_name\":[]}              | step_name        | array []",
        })
        void badField(String json, String field, String shownValue) {
            assertThatThrownBy(() -> codec.decode(json))
                    .isInstanceOf(JobFormatException.class)
                    .hasMessageContaining(field.equals("<whole document>") ? "JSON object" : field)
                    .hasMessageContaining(shownValue)
                    .satisfies(e -> assertThat(((JobFormatException) e).field())
                            .isEqualTo(field.equals("<whole document>") ? null : field));
        }

        @Test
        @DisplayName("an unknown code of a Python dialect names the dialect")
        void unknownCode() {
            JobCodec v2024 = JobCodec.builder().dialect(StatusDialect.PYTHON_2024).build();
            assertThatThrownBy(() -> v2024.decode("{\"workflow_name\":\"w\",\"status\":7}"))
                    .isInstanceOf(JobFormatException.class)
                    .hasMessageContaining("status").hasMessageContaining("7").hasMessageContaining("PYTHON_2024");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "   ", "{", "{\"workflow_name\":\"w\",}", "nul", "{\"workflow_name\":\"w\"} trailing",
            "{\"workflow_name\":\"w\",\"workflow_name\":\"x\"}", "\u0000\u0001"})
        @DisplayName("invalid JSON says so")
        void invalidJson(String json) {
            assertThatThrownBy(() -> codec.decode(json))
                    .isInstanceOf(JobFormatException.class)
                    .hasMessageMatching("(?s)(not valid JSON|a job must be a JSON object).*");
        }

        @Test
        @DisplayName("JSON nested deeper than the limit is refused without exhausting the stack")
        void deepNesting() {
            String deep = "[".repeat(100_000) + "]".repeat(100_000);
            assertThatThrownBy(() -> codec.decode("{\"workflow_name\":\"w\",\"initial_input_value\":" + deep + "}"))
                    .isInstanceOf(JobFormatException.class)
                    .hasMessageContaining("not valid JSON")
                    .hasMessageContaining("depth");
        }

        @Test
        @DisplayName("a document longer than the codec's limit is refused before parsing, naming the limit and the size")
        void documentOverLimit() {
            JobCodec small = JobCodec.builder().maxDocumentBytes(1024).build();
            String atLimit = padded(1024);
            String overLimit = padded(1025);

            assertThat(small.maxDocumentBytes()).isEqualTo(1024);
            assertThat(small.decode(atLimit).workflowName()).isEqualTo("w");
            assertThat(small.decode(atLimit.getBytes(java.nio.charset.StandardCharsets.UTF_8)).workflowName()).isEqualTo("w");
            assertThatThrownBy(() -> small.decode(overLimit.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .isInstanceOf(JobFormatException.class)
                    .hasMessage("document too long: 1025 bytes, over the codec's limit of 1024 bytes"
                            + " (JobCodec.Builder.maxDocumentBytes); not read");
            assertThatThrownBy(() -> small.decode(overLimit))
                    .isInstanceOf(JobFormatException.class)
                    .hasMessageContaining("at least 1025 bytes").hasMessageContaining("limit of 1024 bytes");
        }

        @Test
        @DisplayName("the limit counts UTF-8 bytes, not chars")
        void limitCountsBytes() {
            JobCodec small = JobCodec.builder().maxDocumentBytes(1024).build();
            // 500 chars of 3 bytes each: 1,546 bytes of UTF-8 in 546 chars
            String wide = "{\"workflow_name\":\"w\",\"initial_input_value\":\"" + "\u20ac".repeat(500) + "\"}";

            assertThatThrownBy(() -> small.decode(wide))
                    .isInstanceOf(JobFormatException.class)
                    .hasMessageContaining("document too long: 1546 bytes").hasMessageContaining("limit of 1024 bytes");
        }

        @Test
        @DisplayName("by default a foreign body over 64 MiB is refused at once, without building a tree")
        void defaultLimit() {
            assertThat(codec.maxDocumentBytes()).isEqualTo(JobCodec.DEFAULT_MAX_DOCUMENT_BYTES).isEqualTo(64L << 20);
            byte[] huge = new byte[(64 << 20) + 1];
            java.util.Arrays.fill(huge, (byte) '[');

            assertThatThrownBy(() -> codec.decode(huge))
                    .isInstanceOf(JobFormatException.class)
                    .hasMessageContaining(String.valueOf(huge.length))
                    .hasMessageContaining(String.valueOf(64L << 20));
        }

        @Test
        @DisplayName("the limit applies to reading only: a job of the codec's own is still written and turned into a tree")
        void ownJobsNotLimited() {
            JobCodec small = JobCodec.builder().maxDocumentBytes(64).build();
            Job big = Job.builder().workflowName("w").initialInputValue(JsonNodeFactory.instance.textNode("x".repeat(1000))).build();

            assertThat(small.encode(big)).hasSizeGreaterThan(1000);
            assertThat(small.toTree(big).get("initial_input_value").textValue()).hasSize(1000);
        }

        @ParameterizedTest
        @ValueSource(longs = {0, -1})
        @DisplayName("a limit that is not positive is refused")
        void badLimit(long limit) {
            assertThatThrownBy(() -> JobCodec.builder().maxDocumentBytes(limit))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maxDocumentBytes must be positive, got " + limit);
        }

        private static String padded(int bytes) {
            String head = "{\"workflow_name\":\"w\",\"initial_input_value\":\"";
            String tail = "\"}";
            return head + "x".repeat(bytes - head.length() - tail.length()) + tail;
        }

        @Test
        @DisplayName("a huge offending value is shortened in the message")
        void hugeValueShortened() {
            String huge = "x".repeat(1_000_000);
            assertThatThrownBy(() -> codec.decode("{\"workflow_name\":\"w\",\"status\":\"" + huge + "\"}"))
                    .isInstanceOf(JobFormatException.class)
                    .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300).contains("chars"));
        }
    }
}
