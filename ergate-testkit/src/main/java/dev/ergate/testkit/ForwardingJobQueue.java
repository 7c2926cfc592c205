package dev.ergate.testkit;

import dev.ergate.Job;
import dev.ergate.spi.AtomicStepFinish;
import dev.ergate.spi.AtomicSubmit;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.StateStore;
import dev.ergate.spi.StepPlan;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@link JobQueue} that hands every call to another queue: extend it and override only what a
 * test wraps (count takes, swap the store an atomic finish uses, keep the wrapped queue open),
 * and every method the interface gains later is forwarded too, instead of falling back to the
 * interface's default and quietly changing what the wrapped backend does.
 * Thread-safe as the queue it wraps.
 */
public class ForwardingJobQueue implements JobQueue {

    private final JobQueue delegate;

    /**
     * @param delegate the queue every call goes to
     */
    public ForwardingJobQueue(JobQueue delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** {@return the queue every call goes to} */
    protected final JobQueue delegate() {
        return delegate;
    }

    @Override
    public void put(Job job) {
        delegate.put(job);
    }

    @Override
    public void putAll(List<Job> jobs) {
        delegate.putAll(jobs);
    }

    @Override
    public Optional<Delivery> take(Duration maxWait) throws InterruptedException {
        return delegate.take(maxWait);
    }

    @Override
    public Optional<AtomicStepFinish> atomicStepFinish(StateStore store) {
        return delegate.atomicStepFinish(store);
    }

    @Override
    public Optional<AtomicSubmit> atomicSubmit(StateStore store) {
        return delegate.atomicSubmit(store);
    }

    @Override
    public boolean startOnTake(JobStore store, StepPlan plan) {
        return delegate.startOnTake(store, plan);
    }

    @Override
    public @Nullable Duration leaseTime() {
        return delegate.leaseTime();
    }

    @Override
    public void checkCapacity(int concurrentTakers) {
        delegate.checkCapacity(concurrentTakers);
    }

    @Override
    public void releaseHeld() {
        delegate.releaseHeld();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
