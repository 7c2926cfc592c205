package dev.ergate.spi;

import dev.ergate.Job;
import java.util.List;

/**
 * Submits jobs in one transaction or script: each job's first state is written to the store and
 * the job is put on the queue, all or nothing, in one round trip where the backend allows.
 * Obtained from {@link JobQueue#atomicSubmit(StateStore)}; {@code ErgateClient} uses it for
 * {@code submit} and {@code submitAll} instead of a store write followed by a put, so a failed
 * submit leaves nothing behind and needs no repair.
 *
 * <p>Thread-safe.
 */
@FunctionalInterface
public interface AtomicSubmit {

    /**
     * Writes every job's state as {@link StateStore#update} would and puts it as {@link
     * JobQueue#put} would, all in one transaction.
     *
     * @param jobs the jobs, each with an id; one job is the single submit
     * @throws JobTooLargeException if a job is too large for the backend; nothing was written
     * @throws ErgateBackendException if the backend fails; then nothing was written
     */
    void submit(List<Job> jobs);
}
