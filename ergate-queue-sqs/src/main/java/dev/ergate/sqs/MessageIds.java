package dev.ergate.sqs;

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
 * stay in order while different jobs run in parallel; the deduplication id is unique per job,
 * step and put attempt, so two puts never collapse into one, while the SDK's own retries of one
 * put (which resend the same id) are deduplicated. SQS allows up to 128 printable ASCII
 * characters: longer or other ids are replaced by their SHA-256. Stateless.
 */
final class MessageIds {

    static final int MAX_LENGTH = 128;
    private static final int MAX_READABLE_GROUP = 80;

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
        String group = groupId(job.id());
        if (group.length() > MAX_READABLE_GROUP) {
            group = sha256(group).substring(0, 32);
        }
        String step = job.stepName() == null ? "-" : job.stepName();
        String id = group + ":" + job.stepsCompleted() + ":" + step;
        if (id.length() > MAX_LENGTH - 34 || !isPrintableAscii(id)) {
            id = sha256(id).substring(0, 40);
        }
        return id + ":" + UUID.randomUUID().toString().replace("-", "");
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
