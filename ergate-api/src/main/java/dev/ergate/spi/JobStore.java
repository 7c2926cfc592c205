package dev.ergate.spi;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import java.util.Optional;

/**
 * A {@link StateStore} that can also be read: look a job up, list jobs, and ask for one to be
 * cancelled (cooperatively: {@link #requestCancel} marks it CANCELLING, {@link #startStep} sees
 * that, and {@link #update} keeps a stored CANCELLING when the incoming job is not final).
 * Thread-safe. Why: DESIGN.md, "The contracts".
 */
public interface JobStore extends StateStore {

    /**
     * @param id a job id
     * @return the job's last recorded state, or empty if the store has never seen it
     * @throws ErgateBackendException if the backend fails
     */
    Optional<Job> find(JobId id);

    /**
     * Lists jobs page by page, filtered by status and workflow. Walking every page from the
     * first returns every matching job exactly once, also while other jobs are being written
     * (jobs changed during the walk may or may not show up, but never twice).
     *
     * @param query the filters, page size and where to continue
     * @return one page
     * @throws ErgateBackendException if the backend fails
     */
    JobPage list(JobQuery query);

    /**
     * Asks for a job to be cancelled: a job that exists and is not final becomes CANCELLING.
     *
     * @param id the job
     * @return true if the job is now CANCELLING (or already was), false if it is unknown or
     *     already final
     * @throws ErgateBackendException if the backend fails
     */
    boolean requestCancel(JobId id);

    /**
     * Records that a worker is about to run a step of the job: writes {@code running} as {@link
     * #update} would, unless the stored job was asked to be cancelled or has already ended, and
     * says which. A job the store has never seen is written and started.
     *
     * <p>This is the only write a worker makes before a step, and it must never replace a final
     * state: a worker that lost its lease (a long GC pause, a crash-undone claim) may call it after
     * another worker finished the job, and a RUNNING state written over COMPLETED would leave the
     * job RUNNING with nothing left on the queue to finish it.
     *
     * <p>The default finds the job, then updates it: two calls, so a cancel request or a finish
     * landing between them is missed or overwritten. Stores override it with one atomic call (a
     * script, a conditional statement), which also saves a round trip per step.
     *
     * @param running the job's RUNNING state, with an id
     * @return {@link StepStart#STARTED} when {@code running} was written; otherwise what was found
     *     instead, and nothing was written
     * @throws IllegalArgumentException if {@code running} has no id
     * @throws ErgateBackendException if the backend fails
     */
    default StepStart startStep(Job running) {
        JobId id = running.id();
        if (id == null) {
            throw new IllegalArgumentException("a job needs an id to be started: " + running);
        }
        Optional<Job> stored = find(id);
        StepStart start = stored.map(job -> StepStart.over(job.status())).orElse(StepStart.STARTED);
        if (start == StepStart.STARTED) {
            update(running);
        }
        return start;
    }

    /**
     * @param status a status, for the common case of listing by status alone
     * @return the first page of jobs in that status, at the default page size
     */
    default JobPage list(JobStatus status) {
        return list(JobQuery.builder().status(status).build());
    }
}
