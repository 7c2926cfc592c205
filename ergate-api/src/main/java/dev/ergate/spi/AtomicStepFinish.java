package dev.ergate.spi;

import dev.ergate.Job;
import org.jspecify.annotations.Nullable;

/**
 * Finishes a step in one transaction: writes the job's new state, puts its next step (if any)
 * and acknowledges the delivery, all or nothing. Obtained from {@link
 * JobQueue#atomicStepFinish(StateStore)}.
 *
 * <p>Thread-safe.
 */
@FunctionalInterface
public interface AtomicStepFinish {

    /**
     * @param delivery the delivery of the step that finished
     * @param state the job's new state, written to the store as {@link StateStore#update} would
     * @param next the job to put for its next step, or {@code null} when the job is final
     * @throws ErgateBackendException if the backend fails; then nothing was changed
     */
    void finish(Delivery delivery, Job state, @Nullable Job next);
}
