package dev.ergate.redis;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A message a {@link RedisJobQueue} gave up on: one that could not be decoded as a job, one
 * delivered more often than {@link RedisQueueOptions#maxDeliveries()} allows, or one a worker
 * {@linkplain dev.ergate.spi.Delivery#deadLetter(String) dead-lettered}.
 *
 * @param messageId the queue's id of the message
 * @param text the message's raw text, as it was on the queue (bytes that are not UTF-8 are shown
 *     as U+FFFD; see {@code text_base64} in the stored record for the exact bytes)
 * @param reason why it was given up
 * @param at when, by the queue's clock
 * @param deliveryCount how many times it had been delivered
 * @param jobId the job's id when the message was a job with an id, else {@code null}
 *
 * <p>Immutable and thread-safe.
 */
public record DeadLetter(String messageId, String text, String reason, Instant at, int deliveryCount,
        @Nullable String jobId) {

    /** Checks that the required components are present. */
    public DeadLetter {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
    }
}
