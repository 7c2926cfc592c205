package dev.ergate.jdbc;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A message a {@link JdbcJobQueue} gave up on, from the dead-letter table: one that could not be
 * decoded as a job, or that a worker {@linkplain dev.ergate.spi.Delivery#deadLetter dead-lettered}.
 *
 * @param id the dead letter's row id
 * @param queueName the queue it came from
 * @param jobId the job's id as text, when it was known
 * @param payload the message exactly as it was on the queue (not copied: don't change it)
 * @param reason why it was given up
 * @param deliveryCount how many times it had been delivered
 * @param enqueuedAt when it was put
 * @param deadAt when it was given up
 */
public record DeadLetter(
        long id,
        String queueName,
        @Nullable String jobId,
        byte[] payload,
        String reason,
        int deliveryCount,
        Instant enqueuedAt,
        Instant deadAt) {

    /** @return the payload as text (UTF-8, invalid bytes replaced) */
    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "DeadLetter[id=" + id + ", queue=" + queueName + ", job=" + jobId + ", reason=" + reason + "]";
    }
}
