package dev.ergate.sqs;

import dev.ergate.Job;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.ErgateBackendException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job leased from SQS: its message's receipt handle identifies the lease, so an ending call
 * after the lease moved to another taker is refused by SQS and can't touch that taker's lease.
 * Once ended (acked, released or dead-lettered) further ending calls do nothing.
 *
 * <p>Thread-safe: the worker thread and a lease keeper may call it at the same time.
 */
final class SqsDelivery implements Delivery {

    private static final Logger LOG = LoggerFactory.getLogger(SqsDelivery.class);

    private final Inbound inbound;
    private final SqsOperations ops;
    private final Deferrals deferrals;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private Instant leaseExpiresAt;
    private boolean ended;

    SqsDelivery(Inbound inbound, Duration leaseTime, SqsOperations ops, Deferrals deferrals,
            DeadLetters deadLetters, Clock clock) {
        this.inbound = inbound;
        this.ops = ops;
        this.deferrals = deferrals;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.leaseExpiresAt = inbound.leaseStart().plus(leaseTime);
    }

    @Override
    public Job job() {
        return inbound.job();
    }

    @Override
    public int deliveryCount() {
        return inbound.deliveryCount();
    }

    @Override
    public synchronized Instant leaseExpiresAt() {
        return leaseExpiresAt;
    }

    /** @return the SQS message id, for logs */
    String messageId() {
        return inbound.message().messageId();
    }

    @Override
    public synchronized void ack() {
        if (ended) {
            return;
        }
        try {
            ops.delete(inbound.message().receiptHandle());
        } catch (LeaseLostException e) {
            ended = true;
            throw leaseLost("ack", e);
        }
        ended = true;
    }

    @Override
    public synchronized void release(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("release delay must not be negative, got " + delay);
        }
        if (ended) {
            return;
        }
        Instant now = clock.instant();
        Instant visibleAt = now.plus(delay);
        long seconds = Deferrals.secondsUntil(now, visibleAt);
        try {
            if (seconds <= Deferrals.ceilingLeft(inbound.receivedAt(), now)) {
                ops.changeVisibility(inbound.message().receiptHandle(), (int) seconds);
            } else {
                deferrals.copy(inbound.message(), visibleAt);
            }
        } catch (LeaseLostException e) {
            ended = true;
            throw leaseLost("release", e);
        }
        ended = true;
    }

    @Override
    public synchronized void extend(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("extend duration must not be negative, got " + duration);
        }
        if (ended) {
            return;
        }
        Instant now = clock.instant();
        long wanted = Deferrals.secondsUntil(now, now.plus(duration));
        long left = Deferrals.ceilingLeft(inbound.receivedAt(), now);
        if (left <= 0) {
            throw new ErgateBackendException("the lease of job " + job().id() + " (SQS message " + messageId()
                    + ") can't be extended: SQS keeps a message invisible at most 12 hours after it was received"
                    + " (at " + inbound.receivedAt() + "); it becomes visible at " + leaseExpiresAt
                    + " and another worker may then run the step again", null, false);
        }
        long seconds = Math.min(wanted, left);
        if (seconds < wanted) {
            LOG.warn("lease of job {} (SQS message {}) extended by {} s only, not {}: SQS's 12-hour visibility"
                    + " ceiling since the receive at {} is reached", job().id(), messageId(), seconds, wanted,
                    inbound.receivedAt());
        }
        try {
            ops.changeVisibility(inbound.message().receiptHandle(), (int) seconds);
        } catch (LeaseLostException e) {
            throw leaseLost("extend", e);
        }
        leaseExpiresAt = now.plusSeconds(seconds);
    }

    @Override
    public synchronized void deadLetter(String reason) {
        Objects.requireNonNull(reason, "reason");
        if (ended) {
            return;
        }
        try {
            deadLetters.route(inbound.message(), reason);
        } catch (LeaseLostException e) {
            ended = true;
            throw leaseLost("dead-letter", e);
        }
        ended = true;
    }

    private ErgateBackendException leaseLost(String what, LeaseLostException e) {
        return new ErgateBackendException("can't " + what + " job " + job().id() + " (SQS message " + messageId()
                + "): its lease ran out at " + leaseExpiresAt + " and the message may be with another taker now",
                e, false);
    }

    @Override
    public String toString() {
        return "SqsDelivery[job=" + job().id() + ", message=" + messageId() + ", deliveryCount=" + deliveryCount()
                + "]";
    }
}
