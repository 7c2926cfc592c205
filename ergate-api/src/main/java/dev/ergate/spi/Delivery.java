package dev.ergate.spi;

import dev.ergate.Job;
import java.time.Duration;
import java.time.Instant;

/**
 * A job taken from a {@link JobQueue}, leased to the taker until {@link #leaseExpiresAt()}.
 * Exactly one of {@link #ack()}, {@link #release(Duration)} or {@link #deadLetter(String)}
 * ends it; a delivery that none of them ends comes back on the queue when its lease runs out.
 *
 * <p>Calling an ending method twice, or after the lease ran out and someone else took the job,
 * must not affect that other taker's lease: implementations identify the lease, not just the job.
 *
 * <p>Thread-safe; typically used by the one worker thread that took it plus a lease keeper.
 */
public interface Delivery {

    /** @return the job as it was put */
    Job job();

    /**
     * @return how many times this message has been delivered, counting this one (1 for the
     *     first); a high count means workers keep dying on it
     */
    int deliveryCount();

    /** @return when the lease runs out unless {@linkplain #extend extended} */
    Instant leaseExpiresAt();

    /**
     * The job's step is done: remove this message for good.
     *
     * @throws ErgateBackendException if the backend fails
     */
    void ack();

    /**
     * Gives the job back to the queue, to be delivered again after {@code delay}.
     *
     * @param delay how long the job stays invisible; zero for at once
     * @throws ErgateBackendException if the backend fails
     */
    void release(Duration delay);

    /**
     * Keeps the lease while a long step runs: it now expires {@code duration} from now.
     *
     * @param duration the new remaining lease time
     * @throws ErgateBackendException if the backend fails, or the lease was already lost
     */
    void extend(Duration duration);

    /**
     * Gives up on this message for good: it leaves the queue and is kept, with the reason, in
     * the queue's dead-letter place (or, when the queue has none, logged with the reason and
     * its text). Used for poison messages, such as a job that keeps killing its workers.
     *
     * @param reason why, for whoever looks at the dead letters
     * @throws ErgateBackendException if the backend fails
     */
    void deadLetter(String reason);
}
