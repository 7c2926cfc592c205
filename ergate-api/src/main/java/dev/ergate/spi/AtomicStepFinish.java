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
     * @throws StaleStateException if the store refused {@code state} ({@link WriteFence}): nothing
     *     was written or put; the delivery may have been acknowledged with it (the worker then
     *     acknowledges it, which does nothing on an ended one)
     * @throws ErgateBackendException if the backend fails; then nothing was changed
     */
    void finish(Delivery delivery, Job state, @Nullable Job next);
}
