package dev.ergate.sqs;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Where messages that must not be retried go: moved to the configured dead-letter queue with
 * the reason as a message attribute (shortened, or left out, when the body leaves too little
 * room under the dead-letter queue's size limit); or, with none configured, left on the queue
 * for its redrive policy to move after {@code maxReceiveCount} receives; or, with neither, kept
 * on the queue hidden as long as SQS allows (12 h from the receive) and logged with the reason
 * and its text each time it comes back: never deleted. Thread-safe.
 */
final class DeadLetters {

    /** What happened to a message. */
    enum Outcome {
        /** Now on the dead-letter queue; deleted from the queue. */
        MOVED,
        /** Left untouched; the queue's redrive policy will move it. */
        LEFT_FOR_REDRIVE,
        /** Nowhere to move it: kept on the queue, hidden as long as SQS allows, and logged. */
        KEPT
    }

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    private static final int MAX_LOGGED_BODY_CHARS = 4096;

    private final SqsOperations ops;
    private final @Nullable String deadLetterQueueUrl;
    private final @Nullable String redrivePolicy;
    private final long budgetBytes;
    private final Clock clock;

    /**
     * @param redrivePolicy the queue's RedrivePolicy attribute, or null when it has none
     * @param budgetBytes the largest message (body and attributes) the dead-letter queue takes
     */
    DeadLetters(SqsOperations ops, @Nullable String deadLetterQueueUrl, @Nullable String redrivePolicy,
            long budgetBytes, Clock clock) {
        this.ops = ops;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
        this.redrivePolicy = redrivePolicy;
        this.budgetBytes = budgetBytes;
        this.clock = clock;
    }

    /**
     * @param message a leased message
     * @param reason why it is given up on
     * @param receivedAt when it was received, for how long it may be kept hidden
     * @return what happened to it
     * @throws dev.ergate.spi.ErgateBackendException if moving or hiding failed (then it stays leased)
     */
    Outcome route(Message message, String reason, Instant receivedAt) {
        if (deadLetterQueueUrl != null) {
            long bodyBytes = MessageAttributes.utf8(message.body());
            Map<String, MessageAttributeValue> attributes = DeadLetterAttributes.fit(message.messageAttributes(),
                    reason, ops.queueUrl(), message.messageId(), budgetBytes - bodyBytes);
            ops.send(deadLetterQueueUrl, message.body(), attributes, 0,
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
        Instant now = clock.instant();
        long hide = Deferrals.ceilingLeft(receivedAt, now);
        if (hide > 0) {
            ops.changeVisibility(message.receiptHandle(), (int) hide);
        }
        LOG.error("message {} on {} is given up on ({}), but the queue has no dead-letter queue nor redrive"
                + " policy: it is kept on the queue, hidden until about {}, and logged again then (configure"
                + " deadLetterQueueUrl or a redrive policy to move it); received {} times so far; its text: {}",
                message.messageId(), ops.queueUrl(), reason, now.plusSeconds(hide), Inbound.receiveCount(message),
                shorten(message.body()));
        return Outcome.KEPT;
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

    /** The attributes a dead letter carries, fitted under the dead-letter queue's size limit. */
    static final class DeadLetterAttributes {

        /** The reason is cut to this many UTF-8 bytes even when there is room for more. */
        static final int MAX_REASON_BYTES = 512;

        private DeadLetterAttributes() {
        }

        /**
         * @param existing the message's own attributes, kept as they are
         * @param room bytes left for attributes after the body
         * @return {@code existing} plus the reason (shortened to fit), the source message id and
         *     the source queue, each added only while it fits in {@code room}: the reason first
         */
        static Map<String, MessageAttributeValue> fit(Map<String, MessageAttributeValue> existing, String reason,
                String sourceQueue, String sourceMessageId, long room) {
            Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>(existing);
            long left = room - MessageAttributes.size(existing);
            long reasonOverhead = MessageAttributes.utf8(MessageAttributes.DEAD_LETTER_REASON) + "String".length();
            long reasonRoom = Math.min(MAX_REASON_BYTES, left - reasonOverhead);
            if (reasonRoom > 0) {
                String shown = MessageAttributes.truncateUtf8(reason, (int) reasonRoom);
                if (!shown.isEmpty()) {
                    attributes.put(MessageAttributes.DEAD_LETTER_REASON, MessageAttributes.string(shown));
                    left -= reasonOverhead + MessageAttributes.utf8(shown);
                }
            }
            left = add(attributes, MessageAttributes.SOURCE_MESSAGE_ID, sourceMessageId, left);
            add(attributes, MessageAttributes.SOURCE_QUEUE, sourceQueue, left);
            return attributes;
        }

        private static long add(Map<String, MessageAttributeValue> attributes, String name, String value, long left) {
            long size = MessageAttributes.utf8(name) + "String".length() + MessageAttributes.utf8(value);
            if (size > left) {
                return left;
            }
            attributes.put(name, MessageAttributes.string(value));
            return left - size;
        }
    }
}
