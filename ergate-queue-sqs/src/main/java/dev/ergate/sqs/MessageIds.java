package dev.ergate.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * FIFO message group and deduplication ids. The group is the job id, so the steps of one job
 * stay in order while different jobs run in parallel. The deduplication id is the job id, its
 * {@code steps_completed}, its step and its retry attempt (the runtime's {@value #ATTEMPT_FIELD}
 * field): unique per job, step and attempt, so every real next step or retry is a new message,
 * while a second put of the same step (a step run again after its worker died between putting
 * the next step and acknowledging, or a publisher retrying) falls within SQS's five-minute
 * deduplication window and is dropped: one crash costs one repeated step, not a repeated rest
 * of the job. SQS allows up to 128 printable ASCII characters: longer or other ids are replaced
 * by their SHA-256. Stateless.
 */
final class MessageIds {

    static final int MAX_LENGTH = 128;
    /** The extra field in which the runtime counts a step's retry attempts. */
    static final String ATTEMPT_FIELD = dev.ergate.RuntimeFields.ATTEMPT;

    private MessageIds() {
    }

    /**
     * @param id the job's id, or null for a job that has none yet (then a random group: nothing
     *     else can be in its group)
     */
    static String groupId(@Nullable JobId id) {
        if (id == null) {
            return "anon-" + UUID.randomUUID();
        }
        String text = id.value();
        return text.length() <= MAX_LENGTH && isPrintableAscii(text) ? text : "sha256-" + sha256(text);
    }

    static String deduplicationId(Job job) {
        JsonNode attempt = job.extraField(ATTEMPT_FIELD);
        String step = job.stepName() == null ? "-" : job.stepName();
        String id = groupId(job.id()) + ":" + job.stepsCompleted() + ":" + step
                + (attempt == null ? "" : ":a" + attempt.asText());
        return id.length() <= MAX_LENGTH && isPrintableAscii(id) ? id : "sha256-" + sha256(id);
    }

    /** A deduplication id for a copy or a dead letter of one received message, stable across retries. */
    static String derivedId(String prefix, String messageId) {
        String id = prefix + ":" + messageId;
        return id.length() <= MAX_LENGTH && isPrintableAscii(id) ? id : prefix + ":" + sha256(messageId);
    }

    static boolean isPrintableAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return !text.isEmpty();
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
