package dev.ergate.spi;

import dev.ergate.Job;
import java.util.List;

/**
 * Where a job's state is recorded after every change: the only thing Python Ergate asks of a
 * state store. Updates are last-writer-wins per job id.
 *
 * <p>Implementations are thread-safe.
 */
@FunctionalInterface
public interface StateStore {

    /**
     * Records the job's current state (every field, extra fields too), replacing what was stored
     * for its id. The job always has an id: the runtime assigns one before the first update.
     *
     * @param job the job's new state
     * @throws ErgateBackendException if the backend fails
     */
    void update(Job job);

    /**
     * Records several jobs' states as {@link #update} does; a backend that can write them in
     * fewer round trips does. The default updates them one by one.
     *
     * @param jobs the jobs' new states
     * @throws ErgateBackendException if the backend fails; the states before the failing one
     *     may have been written
     */
    default void updateAll(List<Job> jobs) {
        for (Job job : jobs) {
            update(job);
        }
    }
}
