package dev.ergate.spi;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A message a queue gave up on: one that could not be decoded as a job, one delivered more often
 * than the queue allows, or one a worker {@linkplain Delivery#deadLetter(String) dead-lettered}.
 * Every built-in adapter returns this one type.
 *
 * @param id the backend's handle for this record (a message id, a row id); opaque to callers
 * @param sourceQueue the name of the queue the message came from
 * @param body the message's raw text as it was on the queue (bytes that are not UTF-8 show as U+FFFD)
 * @param reason why it was given up
 * @param at when it was given up, by the backend's clock
 * @param deliveryCount how many times it had been delivered, or 0 when the backend doesn't know
 * @param jobId the job's id when the body was a job with an id, else {@code null}
 */
public record DeadLetter(String id, String sourceQueue, String body, String reason, Instant at,
        int deliveryCount, @Nullable String jobId) {

    /** Checks that the required components are present. */
    public DeadLetter {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sourceQueue, "sourceQueue");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
    }
}
