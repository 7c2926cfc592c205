package dev.ergate.spi;

import dev.ergate.Job;
import dev.ergate.JobId;
import java.time.Duration;
import java.util.Optional;

/**
 * An optional capability of a {@link JobStore}: records a new job under a unique key, refusing it
 * while another job holds the key, in one atomic step in the backend (two clients submitting the
 * same key at once get one job). {@code ErgateClient}'s {@code submit(..).uniqueKey(k)} uses it.
 * Thread-safe. See DESIGN.md, "Unique jobs".
 */
public interface UniqueJobs {

    /**
     * Records {@code job} (its first state, normally QUEUED) as {@link StateStore#update} would,
     * unless {@code key} is held. A key is held by the job last recorded under it while that job
     * is stored and not final, and, when {@code holdFor} is positive, until {@code holdFor} after
     * it was recorded even if it ended sooner. Check and write are one atomic step.
     *
     * @param job the new job, with an id
     * @param key the unique key, not blank
     * @param holdFor how long the key stays held after the record at least; zero for only while
     *     the job is not final
     * @return empty when the job was recorded and now holds the key; the holder's id when the key
     *     was held (nothing is written then)
     * @throws IllegalArgumentException if the job has no id, the key is blank or {@code holdFor} is negative
     * @throws ErgateBackendException if the backend fails
     */
    Optional<JobId> recordUnique(Job job, String key, Duration holdFor);
}
