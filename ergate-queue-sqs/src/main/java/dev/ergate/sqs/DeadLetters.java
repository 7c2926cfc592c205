package dev.ergate.sqs;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Where messages that must not be retried go: moved to the configured dead-letter queue with
 * the reason as a message attribute; or, with none configured, left on the queue for its redrive
 * policy to move after {@code maxReceiveCount} receives; or, with neither, logged with the reason
 * and the raw text and deleted. Thread-safe.
 */
final class DeadLetters {

    /** What happened to a message. */
    enum Outcome {
        /** Now on the dead-letter queue; deleted from the queue. */
        MOVED,
        /** Left untouched; the queue's redrive policy will move it. */
        LEFT_FOR_REDRIVE,
        /** Logged and deleted: nowhere to keep it. */
        DROPPED
    }

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    private static final int MAX_REASON_CHARS = 1024;
    private static final int MAX_LOGGED_BODY_CHARS = 4096;

    private final SqsOperations ops;
    private final @Nullable String deadLetterQueueUrl;
    private final @Nullable String redrivePolicy;

    /**
     * @param redrivePolicy the queue's RedrivePolicy attribute, or null when it has none
     */
    DeadLetters(SqsOperations ops, @Nullable String deadLetterQueueUrl, @Nullable String redrivePolicy) {
        this.ops = ops;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
        this.redrivePolicy = redrivePolicy;
    }

    /**
     * @param message a leased message
     * @param reason why it is given up on
     * @return what happened to it
     * @throws dev.ergate.spi.ErgateBackendException if moving or deleting failed (then it stays leased)
     */
    Outcome route(Message message, String reason) {
        if (deadLetterQueueUrl != null) {
            ops.send(deadLetterQueueUrl, message.body(), attributes(message, reason), 0,
                    deadLetterQueueUrl.endsWith(".fifo") ? groupOf(message) : null,
                    deadLetterQueueUrl.endsWith(".fifo") ? MessageIds.derivedId("dead", message.messageId()) : null);
            ops.delete(message.receiptHandle());
            LOG.warn("moved message {} from {} to dead-letter queue {}: {}", message.messageId(), ops.queueUrl(),
                    deadLetterQueueUrl, reason);
            return Outcome.MOVED;
        }
        if (redrivePolicy != null) {
            LOG.warn("message {} on {} is given up on ({}); it stays on the queue until its redrive policy {}"
                    + " moves it (received {} times so far)", message.messageId(), ops.queueUrl(), reason,
                    redrivePolicy, Inbound.receiveCount(message));
            return Outcome.LEFT_FOR_REDRIVE;
        }
        LOG.error("dropping message {} from {}: {}; the queue has no dead-letter queue nor redrive policy;"
                + " its text was: {}", message.messageId(), ops.queueUrl(), reason, shorten(message.body()));
        ops.delete(message.receiptHandle());
        return Outcome.DROPPED;
    }

    private Map<String, MessageAttributeValue> attributes(Message message, String reason) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>(message.messageAttributes());
        attributes.put(MessageAttributes.DEAD_LETTER_REASON, MessageAttributes.string(
                reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) + "..." : reason));
        attributes.put(MessageAttributes.SOURCE_QUEUE, MessageAttributes.string(ops.queueUrl()));
        attributes.put(MessageAttributes.SOURCE_MESSAGE_ID, MessageAttributes.string(message.messageId()));
        return attributes;
    }

    private static String groupOf(Message message) {
        String group = Inbound.groupId(message);
        return group == null ? "ergate-dead-letters" : group;
    }

    private static String shorten(String body) {
        return body.length() <= MAX_LOGGED_BODY_CHARS
                ? body
                : body.substring(0, MAX_LOGGED_BODY_CHARS) + "... (" + (body.length() - MAX_LOGGED_BODY_CHARS)
                        + " more chars)";
    }
}
