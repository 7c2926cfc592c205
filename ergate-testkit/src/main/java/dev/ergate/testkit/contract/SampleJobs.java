package dev.ergate.testkit.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/** Jobs the contract suites put into backends. Stateless and thread-safe. */
final class SampleJobs {

    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /**
     * Text in many scripts plus characters that trip up escaping: quotes, backslash, tab,
     * newline, a control character, a surrogate pair (emoji), combining marks, right-to-left
     * text. (No U+0000: PostgreSQL's jsonb can't hold it.)
     */
    static final String UNICODE = "Grüße, 你好, こんにちは, Здравствуйте, مرحبا, שלום, नमस्ते, "
            + "🚚📦✅ \"quoted\" back\\slash tab\tnew\nline \u001f e\u0301 \uD83D\uDC69\u200D\uD83D\uDCBB";

    private SampleJobs() {
    }

    /** {@return {@code value}, failing the test as {@code what} if it is null} */
    static <T> T present(@Nullable T value, String what) {
        if (value == null) {
            throw new AssertionError(what + " is missing");
        }
        return value;
    }

    /** {@return the id of a job the suites built or read back, which always has one} */
    static JobId idOf(Job job) {
        return Objects.requireNonNull(job.id(), "the job has no id");
    }

    /** {@return a unique string id, prefixed with a label that says which test made it} */
    static JobId newId(String label) {
        return JobId.of("contract-" + label + "-" + UUID.randomUUID());
    }

    /** {@return a simple QUEUED job of workflow {@code contract} with a fresh id} */
    static Job simple(String label) {
        return Job.builder()
                .id(newId(label))
                .workflowName("contract")
                .initialInputValue(JSON.objectNode().put("label", label))
                .build();
    }

    /** {@return a job of the given workflow and status with a fresh id} */
    static Job of(String label, String workflowName, JobStatus status) {
        return Job.builder()
                .id(newId(label))
                .workflowName(workflowName)
                .status(status)
                .initialInputValue(JSON.objectNode().put("label", label))
                .build();
    }

    /**
     * @return a job with every field set to a non-default value: nested JSON, unicode, a
     *     multi-line traceback, a start time in the past with microseconds, and extra fields
     */
    static Job everyField(String label) {
        ObjectNode input = JSON.objectNode();
        input.put("order", "A-1001");
        input.put("text", UNICODE);
        input.put("big", new BigInteger("123456789012345678901234567890"));
        input.put("price", 19.99);
        input.put("ratio", 0.1 + 0.2);
        input.put("negative", -42);
        input.put("yes", true);
        input.putNull("nothing");
        ArrayNode lines = input.putArray("lines");
        lines.addObject().put("sku", "X-1").put("qty", 2).putArray("tags").add("a").add("ü");
        lines.addObject().put("sku", "Y-2").put("qty", 1).putArray("tags");
        input.putObject("deep").putObject("er").putObject("est").putArray("list").add(1).add(2.5).addNull();

        ArrayNode returned = JSON.arrayNode().add(UNICODE).add(7).add(JSON.objectNode().put("k", "v"));

        ObjectNode context = JSON.objectNode().put("user", "alice").put("name", "Zoë 🧪");
        context.putArray("roles").add("admin").add("ops");

        return Job.builder()
                .id(newId(label))
                .workflowName("contract-every-field")
                .stepName("step two: " + UNICODE)
                .status(JobStatus.RUNNING)
                .stepsCompleted(2)
                .percentCompleted(100.0 / 3)
                .initialInputValue(input)
                .lastReturnValue(returned)
                .exceptionTraceback("Traceback (most recent call last):\n  File \"w.py\", line 3, in step\n"
                        + "\tboom()\nValueError: \"bad\" value \\ 💥\n")
                .userContext(context)
                .requestedStartTime(Instant.parse("2024-06-28T12:00:00.123456Z"))
                .extraField("current_step", JSON.numberNode(2))
                .extraField("x-trace", JSON.objectNode().put("span", "ab12").put("sampled", false))
                .extraField("x-empty", NullNode.getInstance())
                .extraField("x-unicode-" + "ключ", JSON.textNode(UNICODE))
                .build();
    }

    /** {@return a job with a numeric id (a JSON integer)} */
    static Job numericId() {
        long number = ThreadLocalRandom.current().nextLong(1_000_000_000L, Long.MAX_VALUE);
        return Job.builder().id(JobId.of(number)).workflowName("contract-numeric").build();
    }

    /**
     * @param label names the job
     * @param bytes how large the value should be
     * @return a job whose input is an ASCII string of {@code bytes} characters
     */
    static Job withPayload(String label, int bytes) {
        StringBuilder text = new StringBuilder(bytes);
        String pattern = "0123456789abcdefghijklmnopqrstuvwxyz";
        while (text.length() < bytes) {
            text.append(pattern, 0, Math.min(pattern.length(), bytes - text.length()));
        }
        return simple(label).toBuilder().initialInputValue(JSON.textNode(text.toString())).build();
    }

    /** {@return the node, for readable assertions} */
    static JsonNode text(String value) {
        return JSON.textNode(value);
    }
}
