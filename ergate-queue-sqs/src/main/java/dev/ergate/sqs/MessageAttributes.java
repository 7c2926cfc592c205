package dev.ergate.sqs;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** The message attributes Ergate sets, and SQS's way of counting their size. Stateless. */
final class MessageAttributes {

    /** Number, epoch milliseconds: the message must not be handed out before then. */
    static final String NOT_BEFORE = "ergate.notBefore";
    /**
     * Number: deliveries of the job's message that counted before this message was sent, when it
     * replaces one given back before its step started ({@link SqsDelivery}); added to this
     * message's own receives in {@code deliveryCount}.
     */
    static final String DELIVERIES = "ergate.deliveries";
    /** String: why the message was dead-lettered. */
    static final String DEAD_LETTER_REASON = "ergate.deadLetterReason";
    /** String: the URL of the queue it was dead-lettered from. */
    static final String SOURCE_QUEUE = "ergate.sourceQueue";
    /** String: its message id on that queue. */
    static final String SOURCE_MESSAGE_ID = "ergate.sourceMessageId";

    /**
     * Bytes kept free under the message size limit for Ergate's attributes: a {@link
     * #NOT_BEFORE} (about 40 bytes) and, on the way to the dead-letter queue, the {@link
     * #DEAD_LETTER_REASON} (up to 512 bytes), {@link #SOURCE_MESSAGE_ID} and {@link
     * #SOURCE_QUEUE}; SQS counts attributes in the message size.
     */
    static final int RESERVED_BYTES = 1024;

    private MessageAttributes() {
    }

    static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    static Map<String, MessageAttributeValue> notBefore(Instant time) {
        return Map.of(NOT_BEFORE, MessageAttributeValue.builder()
                .dataType("Number").stringValue(Long.toString(time.toEpochMilli())).build());
    }

    static MessageAttributeValue number(long value) {
        return MessageAttributeValue.builder().dataType("Number").stringValue(Long.toString(value)).build();
    }

    /** {@return the message's {@link #DELIVERIES}, or 0 when it has none (or a malformed one)} */
    static int deliveries(Message message) {
        MessageAttributeValue value = message.messageAttributes().get(DELIVERIES);
        if (value == null || value.stringValue() == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(value.stringValue().trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** {@return the message's {@link #NOT_BEFORE}, or null when it has none (or a malformed one)} */
    static @Nullable Instant notBefore(Message message) {
        MessageAttributeValue value = message.messageAttributes().get(NOT_BEFORE);
        if (value == null || value.stringValue() == null) {
            return null;
        }
        try {
            return Instant.ofEpochMilli(Long.parseLong(value.stringValue().trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@return the attributes' size as SQS counts it: name, data type and value, UTF-8} */
    static long size(Map<String, MessageAttributeValue> attributes) {
        long size = 0;
        for (Map.Entry<String, MessageAttributeValue> e : attributes.entrySet()) {
            size += utf8(e.getKey()) + utf8(e.getValue().dataType());
            if (e.getValue().stringValue() != null) {
                size += utf8(e.getValue().stringValue());
            }
            if (e.getValue().binaryValue() != null) {
                size += e.getValue().binaryValue().asByteArray().length;
            }
        }
        return size;
    }

    /**
     * @return {@code text} if its UTF-8 form fits in {@code maxBytes}, else its longest start that
     *     fits with "..." added (never a split character), or "" when not even that fits
     */
    static String truncateUtf8(String text, int maxBytes) {
        if (utf8(text) <= maxBytes) {
            return text;
        }
        int budget = maxBytes - 3;
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int cp = text.codePointAt(end);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > budget) {
                break;
            }
            bytes += size;
            end += Character.charCount(cp);
        }
        return budget <= 0 ? "" : text.substring(0, end) + "...";
    }

    static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
