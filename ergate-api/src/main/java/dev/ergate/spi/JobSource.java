package dev.ergate.spi;

import dev.ergate.Job;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The publisher's driver: a store of jobs waiting to be queued (SCHEDULED or PENDING, with a
 * {@code requested_start_time} that has passed or none). A claimed job goes to no other publisher
 * until it is reported or its claim times out (so a crashed publisher loses nothing).
 * Thread-safe. See DESIGN.md, "The contracts".
 */
public interface JobSource {

    /**
     * Claims up to {@code max} jobs that are due at {@code now}.
     *
     * @param now the publisher's current time; a backend with a clock of its own (PostgreSQL,
     *     Redis) may compare due times and claims with that instead, so a publisher whose clock is
     *     off neither publishes early nor steals a live claim
     * @param max the most jobs to claim
     * @return the claimed jobs, oldest due first; empty when none is due
     * @throws ErgateBackendException if the backend fails
     */
    List<Job> claimDue(Instant now, int max);

    /**
     * The job is on the queue: record it as QUEUED and drop the claim.
     *
     * @param queued the job as it was put (status QUEUED)
     * @throws ErgateBackendException if the backend fails
     */
    void published(Job queued);

    /**
     * Putting the job on the queue failed: drop the claim so it is offered again.
     *
     * @param job the job as claimed
     * @param failure why the put failed
     * @throws ErgateBackendException if the backend fails
     */
    void publishFailed(Job job, Exception failure);

    /**
     * Offers a publish that puts the job on {@code queue} and reports it in one transaction (see
     * {@link AtomicPublish}). Sources that keep the jobs in the same system as the queue offer it.
     *
     * @param queue the queue the publisher puts on
     * @return the atomic publish, or empty when this source can't publish atomically on that queue
     *     (the publisher then puts and calls {@link #published})
     */
    default Optional<AtomicPublish> atomicPublish(JobQueue queue) {
        return Optional.empty();
    }
}
