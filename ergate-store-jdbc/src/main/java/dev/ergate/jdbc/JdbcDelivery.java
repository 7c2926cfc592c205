package dev.ergate.jdbc;

import dev.ergate.Job;
import dev.ergate.spi.AbstractDelivery;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A message leased from a {@link JdbcJobQueue}. The lease is identified by the message's row id
 * and a random token written by the claim: ending or extending it only touches the row while it
 * still carries that token, so a late call never affects a later taker's lease.
 *
 * <p>Thread-safe.
 */
final class JdbcDelivery extends AbstractDelivery {

    private final JdbcJobQueue queue;
    private final long messageId;
    private final UUID token;
    private final long claimedNanos;
    private final @Nullable Job started;
    private final JdbcJobQueue.@Nullable Unstart unstart;

    JdbcDelivery(JdbcJobQueue queue, long messageId, UUID token, Job job, int deliveryCount,
            Instant leaseExpiresAt) {
        this(queue, messageId, token, job, deliveryCount, leaseExpiresAt, null, null);
    }

    /**
     * @param started the RUNNING state the claim recorded for the job, or null when it recorded none
     * @param unstart how to undo that start if the delivery is given back unrun, or null
     */
    JdbcDelivery(JdbcJobQueue queue, long messageId, UUID token, Job job, int deliveryCount,
            Instant leaseExpiresAt, @Nullable Job started, JdbcJobQueue.@Nullable Unstart unstart) {
        super(job, deliveryCount, leaseExpiresAt);
        this.queue = queue;
        this.messageId = messageId;
        this.token = token;
        this.claimedNanos = System.nanoTime();
        this.started = started;
        this.unstart = unstart;
    }

    @Override
    public @Nullable Job startedState() {
        return started;
    }

    @Override
    protected boolean ackLease() {
        return queue.ack(this);
    }

    @Override
    protected boolean releaseLease(Duration delay) {
        return queue.release(this, delay);
    }

    @Override
    protected @Nullable Instant extendLease(Duration duration) {
        return queue.extend(this, duration);
    }

    @Override
    protected boolean deadLetterLease(String reason) {
        return queue.deadLetter(this, reason);
    }

    /** {@return how to undo the start the claim recorded, or null when it recorded none} */
    JdbcJobQueue.@Nullable Unstart unstart() {
        return unstart;
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

    /** Ended by an atomic step finish that acked it. */
    void finished() {
        markEnded();
    }

    @Override
    public String toString() {
        return "JdbcDelivery[message=" + messageId + ", job=" + job().id() + ", delivery=" + deliveryCount()
                + ", leaseExpiresAt=" + leaseExpiresAt() + (started != null ? ", started" : "") + "]";
    }
}
