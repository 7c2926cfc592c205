package dev.ergate.sqs;

import dev.ergate.spi.AbstractDelivery;
import dev.ergate.spi.LeaseLostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job leased from SQS: its message's receipt handle identifies the lease, so an ending call
 * after the lease moved to another taker is refused by SQS ({@link LeaseLostException}) and
 * can't touch that taker's lease. An ending call that deletes or copies the message after the
 * lease ran out by this delivery's clock first takes the lease back with ChangeMessageVisibility
 * (which SQS refuses for a stale receipt handle), since DeleteMessage may not refuse one.
 *
 * <p>Thread-safe: the worker thread and a lease keeper may call it at the same time.
 */
final class SqsDelivery extends AbstractDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(SqsDelivery.class);

    private final Inbound inbound;
    private final SqsOperations ops;
    private final Deferrals deferrals;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final long leaseSeconds;

    SqsDelivery(Inbound inbound, Duration leaseTime, SqsOperations ops, Deferrals deferrals,
            DeadLetters deadLetters, Clock clock) {
        super(inbound.job(), inbound.deliveryCount(), inbound.leaseStart().plus(leaseTime));
        this.inbound = inbound;
        this.ops = ops;
        this.deferrals = deferrals;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.leaseSeconds = leaseTime.getSeconds();
    }

    /** {@return the SQS message id, for logs} */
    String messageId() {
        return inbound.message().messageId();
    }

    /**
     * After the lease ran out by this delivery's clock, takes it back before an ending call
     * that deletes or copies the message: SQS refuses a ChangeMessageVisibility with a receipt
     * handle that is no longer the latest (another taker received the message), while its
     * DeleteMessage may accept such a handle ("the request succeeds", say its docs), which would
     * remove the other taker's message, or leave a copy next to it: two chains.
     *
     * @throws LeaseLostException if another taker may hold the message now
     */
    private void requireLease(String what) {
        Instant now = clock.instant();
        if (now.isBefore(leaseExpiresAt())) {
            return;
        }
        long seconds = Math.min(leaseSeconds, Deferrals.ceilingLeft(inbound.receivedAt(), now));
        if (seconds <= 0) {
            throw new LeaseLostException("the lease of job " + job().id() + " (SQS message " + messageId()
                    + ") ran out at " + leaseExpiresAt() + " past SQS's 12-hour visibility ceiling; no " + what, null);
        }
        ops.changeVisibility(inbound.message().receiptHandle(), (int) seconds);
    }

    @Override
    protected boolean ackLease() {
        try {
            requireLease("ack");
            ops.delete(inbound.message().receiptHandle());
            return true;
        } catch (LeaseLostException e) {
            return lost("ack", e);
        }
    }

    @Override
    protected boolean releaseLease(Duration delay) {
        Instant now = clock.instant();
        long seconds = Deferrals.secondsUntil(now, now.plus(delay));
        try {
            if (seconds <= Deferrals.ceilingLeft(inbound.receivedAt(), now)) {
                ops.changeVisibility(inbound.message().receiptHandle(), (int) seconds);
            } else {
                requireLease("release");
                deferrals.copy(inbound.message(), deferrals.serverNow().plus(delay)); // a start time: SQS's clock
            }
            return true;
        } catch (LeaseLostException e) {
            return lost("release", e);
        }
    }

    /**
     * The step never started (the store failed): the message is replaced by a fresh copy, sent
     * before the original is deleted, so SQS's receive count (which a redrive policy reads) starts
     * again, and the copy carries the deliveries that counted so far, less this one.
     */
    @Override
    protected boolean releaseUnstartedLease(Duration delay) {
        try {
            requireLease("release");
            deferrals.resend(inbound.message(), delay, deliveryCount() - 1);
            return true;
        } catch (LeaseLostException e) {
            return lost("release", e);
        }
    }

    /**
     * SQS keeps a message invisible at most 12 hours after it was received: an extension stops
     * there (logged), and one asked for after that throws a non-transient failure.
     */
    @Override
    protected @Nullable Instant extendLease(Duration duration) {
        Instant now = clock.instant();
        long wanted = Deferrals.secondsUntil(now, now.plus(duration));
        long left = Deferrals.ceilingLeft(inbound.receivedAt(), now);
        if (left <= 0) {
            throw new LeaseLostException("the lease of job " + job().id() + " (SQS message " + messageId()
                    + ") can't be extended: SQS keeps a message invisible at most 12 hours after it was received"
                    + " (at " + inbound.receivedAt() + "); it becomes visible at " + leaseExpiresAt()
                    + " and another worker may then run the step again", null);
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
            lost("extend", e);
            return null;
        }
        return now.plusSeconds(seconds);
    }

    @Override
    protected boolean deadLetterLease(String reason) {
        try {
            requireLease("dead-letter");
            deadLetters.route(inbound.message(), reason, inbound.receivedAt());
            return true;
        } catch (LeaseLostException e) {
            return lost("dead-letter", e);
        }
    }

    private boolean lost(String what, LeaseLostException e) {
        LOG.debug("{} of job {} (SQS message {}) changed nothing: its lease ran out at {} and the message may be"
                + " with another taker now ({})", what, job().id(), messageId(), leaseExpiresAt(), e.getMessage());
        return false;
    }

    @Override
    public String toString() {
        return "SqsDelivery[job=" + job().id() + ", message=" + messageId() + ", deliveryCount=" + deliveryCount()
                + "]";
    }
}
