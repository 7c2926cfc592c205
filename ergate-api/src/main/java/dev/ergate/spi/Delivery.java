package dev.ergate.spi;

import dev.ergate.Job;
import java.time.Duration;
import java.time.Instant;

/**
 * A job taken from a {@link JobQueue}, leased to the taker until {@link #leaseExpiresAt()}.
 * The first of {@link #ack()}, {@link #release(Duration)} or {@link #deadLetter(String)} to
 * return ends it; a delivery that none of them ends comes back on the queue when its lease runs
 * out. Every adapter behaves alike (extend {@link AbstractDelivery}; {@code JobQueueContract}
 * checks it):
 * <ul>
 *   <li>An ending call on an ended delivery does nothing and calls no backend.</li>
 *   <li>An ending call after the lease was lost (it ran out and another taker may hold the job)
 *       changes nothing of that other lease, returns normally, and ends this delivery.</li>
 *   <li>{@link #extend} of an ended or lost delivery throws {@link LeaseLostException}; {@code
 *       extend(Duration.ZERO)} (or negative) throws {@link IllegalArgumentException}.</li>
 *   <li>A backend failure leaves the delivery open: the caller may try the call again.</li>
 * </ul>
 *
 * <p>Thread-safe; typically used by the one worker thread that took it plus a lease keeper.
 */
public interface Delivery {

    /** {@return the job as it was put} */
    Job job();

    /**
     * {@return how many times this message has been delivered, counting this one (1 for the first);
     * a high count means workers keep dying on it}
     */
    int deliveryCount();

    /** {@return when the lease runs out unless {@linkplain #extend extended}} */
    Instant leaseExpiresAt();

    /**
     * {@return the RUNNING state the queue already recorded in the store for this delivery when
     * it leased the job ({@link JobQueue#startOnTake}), or {@code null} when it recorded none (the
     * default): then the worker records the start}
     */
    default @org.jspecify.annotations.Nullable Job startedState() {
        return null;
    }

    /**
     * The job's step is done: remove this message for good. Does nothing when the delivery
     * already ended or its lease was lost.
     *
     * @throws ErgateBackendException if the backend fails
     */
    void ack();

    /**
     * Gives the job back to the queue, to be delivered again after {@code delay}. Does nothing
     * when the delivery already ended or its lease was lost.
     *
     * @param delay how long the job stays invisible; zero for at once
     * @throws IllegalArgumentException if {@code delay} is negative
     * @throws ErgateBackendException if the backend fails
     */
    void release(Duration delay);

    /**
     * Gives the job back, like {@link #release(Duration)}, when its step never started: the worker
     * could not record the start because the store failed transiently (an outage). Such a give-back
     * is not a delivery that counts toward a poison limit: a queue that counts receives itself
     * (SQS's {@code ApproximateReceiveCount}, which its redrive policy reads) gives the job back as
     * a fresh message, in an order that never loses it (the new message first, then the old one
     * goes; a crash in between leaves a duplicate, which the store's write fence drops), and
     * {@link #deliveryCount()} of the next delivery does not count this one. The default is
     * {@link #release(Duration)}: queues whose counts Ergate keeps itself need nothing more.
     *
     * <p>Not for a job the store refuses for good (it must reach its limit and be dead-lettered),
     * nor for a step that ran.
     *
     * @param delay how long the job stays invisible; zero for at once
     * @throws IllegalArgumentException if {@code delay} is negative
     * @throws ErgateBackendException if the backend fails
     */
    default void releaseUnstarted(Duration delay) {
        release(delay);
    }

    /**
     * Keeps the lease while a long step runs: it now expires {@code duration} from now.
     *
     * @param duration the new remaining lease time; positive
     * @throws IllegalArgumentException if {@code duration} is zero or negative
     * @throws LeaseLostException if the delivery already ended or its lease was lost
     * @throws ErgateBackendException if the backend fails
     */
    void extend(Duration duration);

    /**
     * Gives up on this message for good: it leaves the queue and is kept, with the reason, in
     * the queue's dead-letter place (or, when the queue has none, logged with the reason and
     * its text). Used for poison messages, such as a job that keeps killing its workers. Does
     * nothing when the delivery already ended or its lease was lost.
     *
     * @param reason why, for whoever looks at the dead letters
     * @throws ErgateBackendException if the backend fails
     */
    void deadLetter(String reason);
}
