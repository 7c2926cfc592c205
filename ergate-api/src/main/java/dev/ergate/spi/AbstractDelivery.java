package dev.ergate.spi;

import dev.ergate.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Delivery} contract in one place: argument checks, the "ended" flag, and what a call
 * on an ended or lost delivery does. An adapter only says how to ack, release, extend and
 * dead-letter a lease it still holds, and whether it still held it.
 */
public abstract class AbstractDelivery implements Delivery {

    private final Job job;
    private final int deliveryCount;
    private volatile Instant leaseExpiresAt;
    private volatile boolean ended;

    /**
     * @param job the job as it was put
     * @param deliveryCount this delivery's number, 1 for the first
     * @param leaseExpiresAt when the lease runs out unless extended
     */
    protected AbstractDelivery(Job job, int deliveryCount, Instant leaseExpiresAt) {
        this.job = Objects.requireNonNull(job, "job");
        this.deliveryCount = deliveryCount;
        this.leaseExpiresAt = Objects.requireNonNull(leaseExpiresAt, "leaseExpiresAt");
    }

    @Override
    public final Job job() {
        return job;
    }

    @Override
    public final int deliveryCount() {
        return deliveryCount;
    }

    @Override
    public final Instant leaseExpiresAt() {
        return leaseExpiresAt;
    }

    /** {@return true once an ending call returned, or the adapter {@linkplain #markEnded ended it}} */
    public final boolean isEnded() {
        return ended;
    }

    @Override
    public final synchronized void ack() {
        if (!ended) {
            end(this::ackLease);
        }
    }

    @Override
    public final synchronized void release(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("release delay must not be negative, got " + delay);
        }
        if (!ended) {
            end(() -> releaseLease(delay));
        }
    }

    @Override
    public final synchronized void releaseUnstarted(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("release delay must not be negative, got " + delay);
        }
        if (!ended) {
            end(() -> releaseUnstartedLease(delay));
        }
    }

    @Override
    public final synchronized void deadLetter(String reason) {
        Objects.requireNonNull(reason, "reason");
        if (!ended) {
            end(() -> deadLetterLease(reason));
        }
    }

    @Override
    public final void extend(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("lease extension must be positive, got " + duration
                    + " (release(Duration.ZERO) gives the job back at once)");
        }
        if (ended) {
            throw new LeaseLostException("can't extend the lease of job " + job.id() + ": its delivery already ended ("
                    + this + ")", null);
        }
        Instant until = extendLease(duration);
        if (until == null) {
            throw new LeaseLostException("can't extend the lease of job " + job.id()
                    + ": the lease was lost (it ran out, and the job may be with another taker) (" + this + ")", null);
        }
        leaseExpiresAt = until;
    }

    /**
     * Marks the delivery ended without an ending call: for an adapter whose atomic step finish
     * acked it.
     */
    protected final void markEnded() {
        ended = true;
    }

    /**
     * Removes the message for good, if this delivery still holds its lease.
     *
     * @return false when the lease was already lost (nothing was changed; the adapter may also
     *     throw {@link LeaseLostException} for that)
     * @throws ErgateBackendException if the backend fails; the delivery stays open
     */
    protected abstract boolean ackLease();

    /**
     * Gives the job back, visible after {@code delay} (not negative), if the lease is still held.
     *
     * @return false when the lease was already lost (nothing was changed)
     * @throws ErgateBackendException if the backend fails; the delivery stays open
     */
    protected abstract boolean releaseLease(Duration delay);

    /**
     * Gives the job back, visible after {@code delay} (not negative), if the lease is still held,
     * without this delivery counting toward the next one's {@link #deliveryCount()} (see {@link
     * Delivery#releaseUnstarted}). By default {@link #releaseLease}: override where the backend
     * counts deliveries itself.
     *
     * @return false when the lease was already lost (nothing was changed)
     * @throws ErgateBackendException if the backend fails; the delivery stays open
     */
    protected boolean releaseUnstartedLease(Duration delay) {
        return releaseLease(delay);
    }

    /**
     * Moves the message to the dead letters with {@code reason}, if the lease is still held.
     *
     * @return false when the lease was already lost (nothing was changed)
     * @throws ErgateBackendException if the backend fails; the delivery stays open
     */
    protected abstract boolean deadLetterLease(String reason);

    /**
     * Moves the lease's end to {@code duration} (positive) from now, if the lease is still held.
     *
     * @return the new end, or null when the lease was already lost
     * @throws ErgateBackendException if the backend fails
     */
    protected abstract @Nullable Instant extendLease(Duration duration);

    /**
     * Runs an ending call: the delivery is ended once it returns, whether it still held the
     * lease or not (the adapter logs a lost one), or throws {@link LeaseLostException}; any
     * other failure leaves it open, so the caller may try again.
     */
    private void end(BooleanSupplier endLease) {
        try {
            var unused = endLease.getAsBoolean(); // held or lost, the delivery ends here
        } catch (LeaseLostException lost) {
            // nothing to end: another taker's lease is not touched
        }
        ended = true;
    }
}
