package dev.ergate.spi;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import java.util.Optional;

/**
 * A {@link StateStore} that can also be read: look a job up, list jobs, and ask for one to be
 * cancelled (cooperatively: {@link #requestCancel} marks it CANCELLING, {@link #startStep} sees
 * that, and {@link #update} keeps a stored CANCELLING when the incoming job is not final).
 * Every write but {@link #replace} is fenced by {@link WriteFence}: a stale one is refused.
 * Thread-safe. Why: DESIGN.md, "The contracts" and "Fenced writes".
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
     * Asks for a job to be cancelled: a SCHEDULED or PENDING job (no message of it waits on a
     * queue, nothing would ever see the request) becomes CANCELLED at once, any other job that
     * exists and is not final becomes CANCELLING (a worker ends it CANCELLED).
     *
     * @param id the job
     * @return true if the job is now CANCELLING or CANCELLED by this request (or already was
     *     CANCELLING), false if it is unknown or already final
     * @throws ErgateBackendException if the backend fails
     */
    boolean requestCancel(JobId id);

    /**
     * Records a job as {@link #update} would, fenced by {@link WriteFence} (a stale write throws
     * {@link StaleStateException} and writes nothing).
     *
     * @param job the job's new state
     * @throws StaleStateException if the store holds a newer state of the job
     * @throws ErgateBackendException if the backend fails
     */
    @Override
    void update(Job job);

    /**
     * Writes a new job only if the store holds no job of its id: a submit that must not overwrite
     * another job. The default finds, then updates (two calls); stores override it with one atomic
     * call.
     *
     * @param job the job, with an id
     * @return true when it was written, false when a job of that id is stored (nothing written)
     * @throws IllegalArgumentException if {@code job} has no id
     * @throws ErgateBackendException if the backend fails
     */
    default boolean insert(Job job) {
        JobId id = job.id();
        if (id == null) {
            throw new IllegalArgumentException("a job needs an id to be inserted: " + job);
        }
        if (find(id).isPresent()) {
            return false;
        }
        update(job);
        return true;
    }

    /**
     * Writes the job over whatever is stored for its id, with no {@link WriteFence}: a deliberate
     * resubmit of a job (a final one included), and nothing else. A stored CANCELLING is replaced
     * too. The default is {@link #update}, which a fencing store refuses over a final job: such a
     * store overrides it.
     *
     * @param job the job, with an id
     * @throws ErgateBackendException if the backend fails
     */
    default void replace(Job job) {
        update(job);
    }

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
     *     instead ({@link StepStart#over(Job, Job)} is the rule), and nothing was written
     * @throws IllegalArgumentException if {@code running} has no id
     * @throws ErgateBackendException if the backend fails
     */
    default StepStart startStep(Job running) {
        JobId id = running.id();
        if (id == null) {
            throw new IllegalArgumentException("a job needs an id to be started: " + running);
        }
        Optional<Job> stored = find(id);
        StepStart start = stored.map(job -> StepStart.over(job, running)).orElse(StepStart.STARTED);
        if (start == StepStart.STARTED) {
            try {
                update(running);
            } catch (StaleStateException e) {
                return StepStart.STALE;
            }
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
