package dev.ergate.spi;

import dev.ergate.Job;
import java.util.function.Consumer;

/**
 * An optional capability of a {@link JobStore}: it tells subscribers when a job it records
 * reaches a final status, so {@code ErgateClient.await} wakes at once instead of waiting for its
 * next poll. A store without it is polled; one with it is still polled, less often, as a fallback.
 */
public interface FinalStateNotifier {

    /**
     * Subscribes to final states. The store calls {@code listener} with the job as recorded, once
     * per write of a final status (COMPLETED, FAILED, ABORTED, CANCELLED), from the writing
     * thread and after the write is visible to {@link JobStore#find}. A listener must return
     * quickly and not throw; what it throws is ignored.
     *
     * @param listener told of each final state
     * @return closes the subscription
     * @throws ErgateBackendException if the backend fails
     */
    Subscription onFinalState(Consumer<Job> listener);

    /** Ends a subscription made with {@link #onFinalState}. */
    interface Subscription extends AutoCloseable {
        /** Stops the notifications; calling it again does nothing. */
        @Override
        void close();
    }
}
