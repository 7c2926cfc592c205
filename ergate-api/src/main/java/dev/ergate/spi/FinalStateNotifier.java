package dev.ergate.spi;

import dev.ergate.Job;
import dev.ergate.JobId;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An optional capability of a {@link JobStore}: it tells subscribers when a job it records
 * reaches a final status, so {@code ErgateClient.await} wakes at once instead of waiting for its
 * next poll. A store without it is polled; one with it is still polled, less often, as a fallback.
 * A notifier may also be a separate object over the store (Redis), given to the client's builder.
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

    /**
     * Like {@link #onFinalState(Consumer)}, for the jobs {@code interest} accepts only: a notifier
     * that learns of final states by id (a Redis channel, a PostgreSQL NOTIFY) then reads only
     * those jobs. {@code interest} is asked on the notifying thread and must be quick. By default
     * it filters {@link #onFinalState(Consumer)}.
     *
     * @param interest which job ids the listener wants
     * @param listener told of each final state of those jobs, after it is visible to {@link JobStore#find}
     * @return closes the subscription
     * @throws ErgateBackendException if the backend fails
     */
    default Subscription onFinalState(Predicate<JobId> interest, Consumer<Job> listener) {
        Objects.requireNonNull(interest, "interest");
        Objects.requireNonNull(listener, "listener");
        return onFinalState(job -> {
            JobId id = job.id();
            if (id != null && interest.test(id)) {
                listener.accept(job);
            }
        });
    }

    /** Ends a subscription made with {@link #onFinalState}. */
    interface Subscription extends AutoCloseable {
        /** Stops the notifications; calling it again does nothing. */
        @Override
        void close();
    }
}
