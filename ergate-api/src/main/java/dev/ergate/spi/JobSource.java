package dev.ergate.spi;

import dev.ergate.Job;
import java.time.Instant;
import java.util.List;

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
     * @param now the publisher's current time
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
}
