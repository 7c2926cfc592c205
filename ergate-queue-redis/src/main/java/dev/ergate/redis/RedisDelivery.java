package dev.ergate.redis;

import dev.ergate.Job;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.ErgateBackendException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lease on one message of a {@link RedisJobQueue}, identified by the message id and its
 * delivery count: the Lua scripts act only while the message is leased and its count is still
 * this delivery's, so ending an old delivery never touches a newer one.
 *
 * <p>Thread-safe.
 */
final class RedisDelivery implements Delivery {

    private static final Logger LOG = LoggerFactory.getLogger(RedisDelivery.class);
    private static final Long DONE = 1L;

    private final RedisJobQueue queue;
    private final String messageId;
    private final int deliveryCount;
    private final Job job;
    private final byte[] body;
    private volatile Instant leaseExpiresAt;

    RedisDelivery(RedisJobQueue queue, String messageId, int deliveryCount, Job job, byte[] body,
            Instant leaseExpiresAt) {
        this.queue = queue;
        this.messageId = messageId;
        this.deliveryCount = deliveryCount;
        this.job = job;
        this.body = body;
        this.leaseExpiresAt = leaseExpiresAt;
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

    String messageId() {
        return messageId;
    }

    RedisJobQueue queue() {
        return queue;
    }

    /** Stale (the lease was lost to another taker, or the delivery already ended): nothing happens. */
    @Override
    public void ack() {
        Object done = queue.failures().call("ack " + describe(),
                () -> Scripts.ACK.run(queue.client(), queue.keys().queueKeys(), List.of(messageId, deliveryCount)));
        stale(done, "ack");
    }

    /** Stale (the lease was lost to another taker, or the delivery already ended): nothing happens. */
    @Override
    public void release(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("release delay must not be negative, got " + delay);
        }
        long now = queue.clock().millis();
        long due = now + delay.toMillis();
        Object done = queue.failures().call("release " + describe(), () -> Scripts.RELEASE.run(
                queue.client(), queue.keys().queueKeys(), List.of(messageId, deliveryCount, due, now)));
        stale(done, "release");
    }

    /**
     * @throws ErgateBackendException (not transient) if another taker has the job now, or the
     *     delivery already ended
     */
    @Override
    public void extend(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("lease extension must not be negative, got " + duration);
        }
        long deadline = queue.clock().millis() + duration.toMillis();
        Object done = queue.failures().call("extend the lease of " + describe(), () -> Scripts.EXTEND.run(
                queue.client(), queue.keys().queueKeys(), List.of(messageId, deliveryCount, deadline)));
        if (!DONE.equals(done)) {
            throw new ErgateBackendException(queue + ": can't extend the lease of " + describe()
                    + ": the lease was lost (the job was delivered again) or the delivery already ended", null, false);
        }
        leaseExpiresAt = Instant.ofEpochMilli(deadline);
    }

    /** Stale (the lease was lost to another taker, or the delivery already ended): nothing happens. */
    @Override
    public void deadLetter(String reason) {
        Objects.requireNonNull(reason, "reason");
        boolean done = queue.deadLetter(messageId, deliveryCount, body, reason, job.id());
        if (done) {
            LOG.warn("Redis queue '{}': {} dead-lettered: {}", queue.name(), describe(), reason);
        } else {
            stale(0L, "deadLetter");
        }
    }

    private void stale(Object done, String operation) {
        if (!DONE.equals(done)) {
            LOG.debug("Redis queue '{}': {} of {} ignored: its lease was lost or already ended",
                    queue.name(), operation, describe());
        }
    }

    private String describe() {
        return "job " + job.id() + " (message " + messageId + ", delivery " + deliveryCount + ")";
    }

    @Override
    public String toString() {
        return "RedisDelivery[job=" + job.id() + ", message=" + messageId + ", deliveryCount=" + deliveryCount
                + ", leaseExpiresAt=" + leaseExpiresAt + "]";
    }
}
