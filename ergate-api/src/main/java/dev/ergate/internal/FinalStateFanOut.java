package dev.ergate.internal;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.spi.FinalStateNotifier.Subscription;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The subscriber side a backend's final-state notifier shares: the subscriptions, the read of
 * each announced job that somebody awaits, and the id encoding the backends announce
 * ({@code s:ID} for a string id, {@code n:ID} for a numeric one). Thread-safe.
 */
public final class FinalStateFanOut {

    private final CopyOnWriteArrayList<Consumer<JobId>> listeners = new CopyOnWriteArrayList<>();
    private final Function<JobId, Optional<Job>> find;
    private final Consumer<RuntimeException> onListenerError;

    /**
     * @param find reads a job from the store (on the listening thread)
     * @param onListenerError told when a listener throws (the notifier logs it)
     */
    public FinalStateFanOut(Function<JobId, Optional<Job>> find, Consumer<RuntimeException> onListenerError) {
        this.find = Objects.requireNonNull(find, "find");
        this.onListenerError = Objects.requireNonNull(onListenerError, "onListenerError");
    }

    /** Tells {@code listener} the final state of each announced job {@code interest} accepts. */
    public Subscription subscribe(Predicate<JobId> interest, Consumer<Job> listener) {
        Objects.requireNonNull(interest, "interest");
        Objects.requireNonNull(listener, "listener");
        Consumer<JobId> onId = id -> {
            if (interest.test(id)) {
                Optional<Job> job = find.apply(id);
                if (job.isPresent() && job.get().status().isFinal()) {
                    listener.accept(job.get());
                }
            }
        };
        listeners.add(onId);
        return () -> listeners.remove(onId);
    }

    /** Hands an announced payload to every subscription; a payload that is no job id is ignored. */
    public void announce(String payload) {
        JobId id = idOf(payload);
        if (id == null) {
            return;
        }
        for (Consumer<JobId> listener : listeners) {
            try {
                listener.accept(id);
            } catch (RuntimeException e) {
                // the SPI says a listener must not throw; one that does must not end the listening
                onListenerError.accept(e);
            }
        }
    }

    /** {@return the job id of a payload ({@code s:ID} or {@code n:ID}), or null if it is not one} */
    public static @Nullable JobId idOf(String payload) {
        if (payload.startsWith("s:")) {
            return JobId.of(payload.substring(2));
        }
        if (payload.startsWith("n:")) {
            try {
                return JobId.of(new BigInteger(payload.substring(2)));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
