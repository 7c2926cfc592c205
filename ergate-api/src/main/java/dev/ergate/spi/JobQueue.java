package dev.ergate.spi;

import dev.ergate.Job;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where jobs wait for a worker. A worker {@link #take takes} a job, which <em>leases</em> it:
 * the job stays on the queue but is invisible to other takers until the {@link Delivery} is
 * acknowledged, released, or its lease runs out. A worker that dies therefore loses nothing:
 * its lease expires and the job is delivered again (at-least-once delivery).
 *
 * <p>What every implementation must honour (the testkit's {@code JobQueueContract} checks it):
 * <ul>
 *   <li>{@link #put} stores every field of the job, extra fields too, and delivers it no sooner
 *       than its {@link Job#requestedStartTime()}.</li>
 *   <li>{@link #take} blocks up to {@code maxWait} without busy-polling, and returns empty when
 *       nothing became available in that time.</li>
 *   <li>A leased job is handed to no other taker until its lease ends.</li>
 *   <li>A message that can't be decoded as a job is never handed out and never retried forever:
 *       the queue moves it, with the reason and its raw text, to its dead-letter place (or, when
 *       it has none, logs both and drops it), then goes on waiting.</li>
 *   <li>A job too large for the backend is refused by {@link #put} with {@link
 *       JobTooLargeException}, before anything is written.</li>
 * </ul>
 *
 * <p>Implementations are thread-safe: many worker threads take from one queue.
 */
public interface JobQueue extends AutoCloseable {

    /**
     * Adds a job, to be delivered once its {@code requested_start_time} (if any) has passed.
     *
     * @param job the job
     * @throws JobTooLargeException if the job is too large for the backend
     * @throws ErgateBackendException if the backend fails
     */
    void put(Job job);

    /**
     * Adds jobs as {@link #put} does; a backend that can send them in fewer round trips does.
     * The default puts them one by one. When it throws, the jobs before the failing one may have
     * been put.
     *
     * @param jobs the jobs
     * @throws JobTooLargeException if a job is too large for the backend
     * @throws ErgateBackendException if the backend fails
     */
    default void putAll(List<Job> jobs) {
        for (Job job : jobs) {
            put(job);
        }
    }

    /**
     * Takes the next available job and leases it.
     *
     * @param maxWait the longest time to block; zero means "don't block"
     * @return the leased job, or empty when none became available within {@code maxWait}
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws ErgateBackendException if the backend fails
     */
    Optional<Delivery> take(Duration maxWait) throws InterruptedException;

    /**
     * Offers an atomic "finish step" with the given store: the step's state update, the put of
     * its next step and the ack of its delivery in one transaction or script. Backends that
     * hold queue and store in one system (PostgreSQL, Redis) offer it when {@code store} lives
     * in the same place; the runtime then uses it instead of three separate calls, so a crash
     * can never leave the state and the queue disagreeing.
     *
     * @param store the state store the worker writes to
     * @return the atomic finisher, or empty when this queue can't finish atomically with it
     */
    default Optional<AtomicStepFinish> atomicStepFinish(StateStore store) {
        return Optional.empty();
    }

    /**
     * Offers an atomic submit with the given store: a new job's state write and its put in one
     * transaction or script (see {@link AtomicSubmit}). Backends that hold queue and store in one
     * system offer it when {@code store} lives in the same place.
     *
     * @param store the state store the client records submitted jobs in
     * @return the atomic submitter, or empty when this queue can't submit atomically with it
     */
    default Optional<AtomicSubmit> atomicSubmit(StateStore store) {
        return Optional.empty();
    }

    /**
     * Asks the queue to record the start of a step as it leases the job, in the same statement or
     * script as the lease (one round trip instead of a lease and a {@link JobStore#startStep}), for
     * the jobs it can: it writes to {@code store} exactly the RUNNING state the worker would write
     * ({@code delivery.job()} with status RUNNING, {@code step_name} the step the {@code plan} names
     * and the extra field {@code current_step} its index), under the rules of {@link
     * JobStore#startStep} and {@link WriteFence}, and hands that state out as the delivery's
     * {@link Delivery#startedState()}. A job it can't start so (a first delivery only, of a
     * workflow the plan knows, whose stored state it knows to be the message's) is delivered as
     * before, with no started state, and the worker records its start itself.
     *
     * <p>The runtime asks once, when a worker starts with a {@link JobStore} and cancellation
     * checks on, and counts a step as started only when the delivery's started state equals the
     * RUNNING state it computed itself. The default declines.
     *
     * @param store the store the worker records states in
     * @param plan the steps of the workflows the worker runs
     * @return true when the queue will start steps on take with this store
     */
    default boolean startOnTake(JobStore store, StepPlan plan) {
        return false;
    }

    /**
     * The lease length this queue gives a taken job, as configured. The worker renews running
     * steps' leases by it (and times each extension to well under half of it); when empty, it
     * renews by the lease left on the delivery when it was taken.
     *
     * @return the configured lease length, or null when the queue does not know it
     */
    default @Nullable Duration leaseTime() {
        return null;
    }

    /**
     * Called once by a worker before it starts {@code concurrentTakers} threads that {@link
     * #take} at the same time. A queue whose blocking takes each hold a connection checks here
     * that its pool can serve them all (plus what acks and puts need), and fails at once with a
     * message saying which setting to raise, instead of stalling under load.
     *
     * @param concurrentTakers how many threads will take at once
     * @throws IllegalStateException if the queue can't serve that many takers
     */
    default void checkCapacity(int concurrentTakers) {
    }

    /**
     * Gives back, ready again at once, the jobs this queue leased ahead of a {@link #take} that
     * has not come (a queue may claim the next job together with a step's finish to save a round
     * trip). The worker calls it when it stops, so such a job does not wait for its lease to run
     * out. The queue stays usable. The default holds nothing and does nothing.
     *
     * @throws ErgateBackendException if the backend fails; the jobs then come back when their
     *     leases run out
     */
    default void releaseHeld() {
    }

    /** Releases the queue's resources (connections, threads). Idempotent. */
    @Override
    default void close() {
    }
}
