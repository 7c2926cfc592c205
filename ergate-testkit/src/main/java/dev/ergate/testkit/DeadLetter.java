package dev.ergate.testkit;

import java.time.Instant;
import java.util.Objects;

/**
 * A message an {@link InMemoryJobQueue} gave up on: one it could not decode as a job, or one a
 * worker {@linkplain dev.ergate.spi.Delivery#deadLetter(String) dead-lettered}.
 *
 * @param text the message's raw text, as it was on the queue
 * @param reason why it was given up
 * @param at when, by the queue's clock
 */
public record DeadLetter(String text, String reason, Instant at) {

    /** Checks that no component is null. */
    public DeadLetter {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
    }
}
