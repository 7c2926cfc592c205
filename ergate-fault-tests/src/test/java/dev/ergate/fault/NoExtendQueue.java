package dev.ergate.fault;

import dev.ergate.Job;
import dev.ergate.spi.AtomicStepFinish;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.StateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A queue whose deliveries ignore {@link Delivery#extend}: lease extension switched off, so a
 * step longer than the lease is handed out again while it still runs. Everything else is
 * delegated. Thread-safe as the queue it wraps.
 */
final class NoExtendQueue implements JobQueue {

    private final JobQueue inner;

    NoExtendQueue(JobQueue inner) {
        this.inner = inner;
    }

    /** A delivery that keeps its first lease. */
    private record NoExtend(Delivery inner) implements Delivery {
        @Override
        public Job job() {
            return inner.job();
        }

        @Override
        public int deliveryCount() {
            return inner.deliveryCount();
        }

        @Override
        public Instant leaseExpiresAt() {
            return inner.leaseExpiresAt();
        }

        @Override
        public void ack() {
            inner.ack();
        }

        @Override
        public void release(Duration delay) {
            inner.release(delay);
        }

        @Override
        public void extend(Duration duration) {
            // extension off
        }

        @Override
        public void deadLetter(String reason) {
            inner.deadLetter(reason);
        }
    }

    @Override
    public void put(Job job) {
        inner.put(job);
    }

    @Override
    public Optional<Delivery> take(Duration maxWait) throws InterruptedException {
        return inner.take(maxWait).map(NoExtend::new);
    }

    @Override
    public Optional<AtomicStepFinish> atomicStepFinish(StateStore store) {
        return inner.atomicStepFinish(store).map(finish -> (delivery, state, next) ->
                finish.finish(delivery instanceof NoExtend wrapped ? wrapped.inner() : delivery, state, next));
    }

    @Override
    public void checkCapacity(int concurrentTakers) {
        inner.checkCapacity(concurrentTakers);
    }
}
