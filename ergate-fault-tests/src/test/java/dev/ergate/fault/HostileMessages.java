package dev.ergate.fault;

import dev.ergate.sqs.SqsQueueOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The hostile messages of scenario 4, each with a label and how to recognise it afterwards: by
 * the job id it carries (when it has one and it ends FAILED) or by the start of its text (when it
 * ends as a dead letter).
 */
final class HostileMessages {

    /** How a hostile message may end. */
    enum Ending {
        /** Dead-lettered or FAILED, with a reason (or refused by the server at the door). */
        REASON,
        /** As {@link #REASON}, or COMPLETED: the message is odd but a valid job. */
        REASON_OR_COMPLETED,
        /** Dead-lettered with a reason, never run (or refused by the server at the door). */
        DEAD_LETTER
    }

    /** One hostile message. */
    record Hostile(String label, byte[] bytes, String jobId, String textStart, Ending ending) {
    }

    /** A file a deserialization gadget would create if the JSON naming Java classes were obeyed. */
    static final String GADGET_MARKER = "/tmp/ergate-fault-gadget-was-run";

    private HostileMessages() {
    }

    /**
     * @param sizeCheckedAtTake whether the queue checks a body's size when it is taken (a body over
     *     the limit must then end dead-lettered, never run)
     */
    static List<Hostile> all(boolean sizeCheckedAtTake) {
        String bigValue = "x".repeat(10 * 1024 * 1024);
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        return List.of(
                hostile("invalid JSON", "{\"id\": \"hostile-invalid\", \"workflow_name\": \"fault\", ", "hostile-invalid"),
                hostile("JSON that is not a job", "[\"hostile-array\", 1, 2, 3]", "hostile-array"),
                hostile("JSON object that is not a job", "{\"hello\": \"hostile-object\"}", "hostile-object"),
                hostile("unknown workflow", "{\"id\": \"hostile-workflow\", \"workflow_name\": \"no-such-workflow\","
                        + " \"status\": \"QUEUED\", \"initial_input_value\": 1}", "hostile-workflow"),
                hostile("unknown status", "{\"id\": \"hostile-status\", \"workflow_name\": \"fault\","
                        + " \"status\": \"EXPLODED\", \"initial_input_value\": 1}", "hostile-status"),
                hostile("10 MiB value", "{\"id\": \"hostile-big\", \"workflow_name\": \"fault\", \"status\": \"QUEUED\","
                        + " \"initial_input_value\": \"" + bigValue + "\"}", "hostile-big"),
                hostile("JSON nested 100,000 deep", "{\"id\": \"hostile-deep\", \"workflow_name\": \"fault\","
                        + " \"status\": \"QUEUED\", \"initial_input_value\": " + deep + "}", "hostile-deep"),
                hostile("JSON naming Java classes", "{\"id\": \"hostile-class\", \"@class\": \"java.lang.ProcessBuilder\","
                        + " \"workflow_name\": \"fault\", \"status\": \"QUEUED\", \"initial_input_value\":"
                        + " [\"java.lang.ProcessBuilder\", {\"command\": [\"touch\", \"" + GADGET_MARKER + "\"]}],"
                        + " \"user_context\": {\"@type\": \"java.net.URL\", \"val\": \"http://127.0.0.1:9/\"}}",
                        "hostile-class"),
                // valid JSON, but PostgreSQL refuses U+0000 in jsonb and text: stored faithfully or dead-lettered
                new Hostile("NUL in a value", ("{\"id\": \"hostile-nul\", \"workflow_name\": \"fault\","
                        + " \"status\": \"QUEUED\", \"initial_input_value\": 1, \"user_context\": {\"note\": \"a\\u0000b\"}}")
                        .getBytes(StandardCharsets.UTF_8), "hostile-nul", "{\"id\": \"hostile-nul\"", Ending.REASON_OR_COMPLETED),
                // a valid job over the queue's size limit: dead-lettered when taken, never loaded and run
                new Hostile("job over the size limit at take", ("{\"id\": \"hostile-oversize\", \"workflow_name\":"
                        + " \"fault\", \"status\": \"QUEUED\", \"initial_input_value\": 1, \"user_context\": {\"pad\": \""
                        + "p".repeat((int) (FaultBackend.MAX_JOB_BYTES * 3 / 2)) + "\"}}").getBytes(StandardCharsets.UTF_8),
                        "hostile-oversize", "{\"id\": \"hostile-oversize\"", sizeCheckedAtTake ? Ending.DEAD_LETTER
                        : Ending.REASON),
                // poison just under SQS's message size limit: its dead letter must still fit
                hostile("invalid JSON near SQS's size limit", "{\"id\": \"hostile-nearlimit\", \"pad\": \""
                        + "q".repeat((int) SqsQueueOptions.SQS_MAX_MESSAGE_BYTES - 200), "hostile-nearlimit"));
    }

    private static Hostile hostile(String label, String text, String id) {
        return new Hostile(label, text.getBytes(StandardCharsets.UTF_8), id, text.substring(0, Math.min(40, text.length())),
                Ending.REASON);
    }
}
