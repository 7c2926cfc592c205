package dev.ergate.redis;

import dev.ergate.Job;
import dev.ergate.spi.AbstractDelivery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lease on one message of a {@link RedisJobQueue}, identified by the message id and its
 * delivery count: the Lua scripts act only while the message is leased and its count is still
 * this delivery's, so ending an old delivery never touches a newer one.
 *
 * <p>Thread-safe.
 */
final class RedisDelivery extends AbstractDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(RedisDelivery.class);
    private static final Long DONE = 1L;

    private final RedisJobQueue queue;
    private final String messageId;
    private final byte[] body;
    private final @Nullable Job started;

    /**
     * @param started the RUNNING state the claim recorded for the job, or null when it recorded none
     */
    RedisDelivery(RedisJobQueue queue, String messageId, int deliveryCount, Job job, byte[] body,
            Instant leaseExpiresAt, @Nullable Job started) {
        super(job, deliveryCount, leaseExpiresAt);
        this.queue = queue;
        this.messageId = messageId;
        this.body = body;
        this.started = started;
    }

    @Override
    public @Nullable Job startedState() {
        return started;
    }

    String messageId() {
        return messageId;
    }

    RedisJobQueue queue() {
        return queue;
    }

    /** Ended by an atomic step finish that acked it. */
    void finished() {
        markEnded();
    }

    @Override
    protected boolean ackLease() {
        Object done = queue.failures().call("ack " + describe(),
                () -> Scripts.ACK.run(queue.client(), queue.keys().queueKeys(), List.of(messageId, deliveryCount())));
        return held(done, "ack");
    }

    @Override
    protected boolean releaseLease(Duration delay) {
        long delayMillis = delay.toMillis();
        Object done = queue.failures().call("release " + describe(), () -> Scripts.RELEASE.run(
                queue.client(), queue.keys().queueKeys(), List.of(messageId, deliveryCount(), delayMillis, 0)));
        return held(done, "release");
    }

    @Override
    protected @Nullable Instant extendLease(Duration duration) {
        // Redis counts the new lease from its own clock; this worker counts it from just before
        // the call, by its clock, so it never believes it holds the lease longer than it does
        long before = queue.clock().millis();
        long millis = duration.toMillis();
        Object done = queue.failures().call("extend the lease of " + describe(), () -> Scripts.EXTEND.run(
                queue.client(), queue.keys().queueKeys(), List.of(messageId, deliveryCount(), millis)));
        return DONE.equals(done) ? Instant.ofEpochMilli(before + millis) : null;
    }

    @Override
    protected boolean deadLetterLease(String reason) {
        boolean done = queue.deadLetter(messageId, deliveryCount(), body, reason, job().id());
        if (done) {
            LOG.warn("Redis queue '{}': {} dead-lettered: {}", queue.name(), describe(), reason);
        }
        return held(done ? DONE : 0L, "deadLetter");
    }

    private boolean held(Object done, String operation) {
        if (DONE.equals(done)) {
            return true;
        }
        LOG.debug("Redis queue '{}': {} of {} changed nothing: its lease was lost", queue.name(), operation,
                describe());
        return false;
    }

    private String describe() {
        return "job " + job().id() + " (message " + messageId + ", delivery " + deliveryCount() + ")";
    }

    @Override
    public String toString() {
        return "RedisDelivery[job=" + job().id() + ", message=" + messageId + ", deliveryCount=" + deliveryCount()
                + ", leaseExpiresAt=" + leaseExpiresAt() + "]";
    }
}
