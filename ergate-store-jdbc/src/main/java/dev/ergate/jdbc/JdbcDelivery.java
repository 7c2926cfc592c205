package dev.ergate.jdbc;

import dev.ergate.Job;
import dev.ergate.spi.Delivery;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A message leased from a {@link JdbcJobQueue}. The lease is identified by the message's row id
 * and a random token written by the claim: ending or extending it only touches the row while it
 * still carries that token, so a late call never affects a later taker's lease.
 *
 * <p>Thread-safe.
 */
final class JdbcDelivery implements Delivery {

    private final JdbcJobQueue queue;
    private final long messageId;
    private final UUID token;
    private final Job job;
    private final int deliveryCount;
    private final long claimedNanos;
    private volatile Instant leaseExpiresAt;
    private volatile boolean ended;

    JdbcDelivery(JdbcJobQueue queue, long messageId, UUID token, Job job, int deliveryCount,
            Instant leaseExpiresAt) {
        this.queue = queue;
        this.messageId = messageId;
        this.token = token;
        this.job = job;
        this.deliveryCount = deliveryCount;
        this.leaseExpiresAt = leaseExpiresAt;
        this.claimedNanos = System.nanoTime();
    }

    @Override
    public Job job() {
        return job;
    }

    @Override
    public int deliveryCount() {
        return deliveryCount;
    }

    @Override
    public Instant leaseExpiresAt() {
        return leaseExpiresAt;
    }

    @Override
    public void ack() {
        if (!ended) {
            queue.ack(this);
            ended = true;
        }
    }

    @Override
    public void release(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("release delay must not be negative, got " + delay);
        }
        if (!ended) {
            queue.release(this, delay);
            ended = true;
        }
    }

    @Override
    public void extend(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("lease extension must be positive, got " + duration);
        }
        if (ended) {
            throw new IllegalStateException("delivery of job " + job.id() + " (message " + messageId
                    + ") has already ended; its lease can't be extended");
        }
        leaseExpiresAt = queue.extend(this, duration);
    }

    @Override
    public void deadLetter(String reason) {
        Objects.requireNonNull(reason, "reason");
        if (!ended) {
            queue.deadLetter(this, reason);
            ended = true;
        }
    }

    long messageId() {
        return messageId;
    }

    UUID token() {
        return token;
    }

    JdbcJobQueue queue() {
        return queue;
    }

    long claimedNanos() {
        return claimedNanos;
    }

    boolean isEnded() {
        return ended;
    }

    void markEnded() {
        ended = true;
    }

    @Override
    public String toString() {
        return "JdbcDelivery[message=" + messageId + ", job=" + job.id() + ", delivery=" + deliveryCount
                + ", leaseExpiresAt=" + leaseExpiresAt + "]";
    }
}
