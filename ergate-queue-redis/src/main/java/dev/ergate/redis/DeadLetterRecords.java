package dev.ergate.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ergate.spi.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * Writes and reads the JSON records of the dead-letter list:
 * {@code {"message_id", "reason", "at", "delivery_count", "job_id", "text", "text_base64"}}.
 * {@code text_base64} holds the exact bytes, and is written only when they are not valid UTF-8.
 *
 * <p>Stateless and thread-safe.
 */
final class DeadLetterRecords {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private DeadLetterRecords() {
    }

    static byte[] write(String messageId, byte[] body, String reason, Instant at, int deliveryCount,
            @Nullable String jobId) {
        ObjectNode record = JSON.createObjectNode();
        record.put("message_id", messageId);
        record.put("reason", reason);
        record.put("at", at.toString());
        record.put("delivery_count", deliveryCount);
        if (jobId != null) {
            record.put("job_id", jobId);
        }
        record.put("text", new String(body, StandardCharsets.UTF_8));
        if (!isUtf8(body)) {
            record.put("text_base64", Base64.getEncoder().encodeToString(body));
        }
        try {
            return JSON.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("writing a tree to bytes can't fail", e);
        }
    }

    /**
     * @param raw one entry of the dead-letter list
     * @param sourceQueue the name of the queue whose list it is
     * @return it as a {@link DeadLetter}; an entry that is not an Ergate record (someone else
     *     pushed it) comes back whole as the body, with a reason saying so
     */
    static DeadLetter read(byte[] raw, String sourceQueue) {
        try {
            JsonNode record = JSON.readTree(raw);
            if (record != null && record.isObject() && record.hasNonNull("reason") && record.hasNonNull("text")) {
                JsonNode jobId = record.get("job_id");
                return new DeadLetter(
                        record.path("message_id").asText("?"),
                        sourceQueue,
                        record.get("text").asText(),
                        record.get("reason").asText(),
                        record.has("at_ms") ? Instant.ofEpochMilli(record.get("at_ms").asLong())
                                : parseInstant(record.path("at").asText("")),
                        record.path("delivery_count").asInt(0),
                        jobId == null || jobId.isNull() ? null : jobId.asText());
            }
        } catch (java.io.IOException notJson) {
            // falls through: not one of ours
        }
        return new DeadLetter("?", sourceQueue, new String(raw, StandardCharsets.UTF_8),
                "not an Ergate dead-letter record", Instant.EPOCH, 0, null);
    }

    private static Instant parseInstant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeException e) {
            return Instant.EPOCH;
        }
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
