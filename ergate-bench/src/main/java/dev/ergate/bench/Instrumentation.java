package dev.ergate.bench;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.spi.AtomicStepFinish;
import dev.ergate.spi.JobPage;
import dev.ergate.spi.JobQuery;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.StateStore;
import dev.ergate.spi.StepPlan;
import dev.ergate.spi.StepStart;
import dev.ergate.testkit.ForwardingJobQueue;
import java.util.Optional;

/**
 * Wraps a backend's queue and store so a {@link RunTracker} hears every state written (after an
 * {@code update}, around an atomic finish); everything else goes straight through, atomic finish
 * included. As thread-safe as what it wraps.
 */
public final class Instrumentation {

    private Instrumentation() {
    }

    /**
     * @param store the backend's store
     * @param tracker hears each state written
     * @return a store that reports to the tracker; a {@link JobStore} when {@code store} is one,
     *     so the worker still checks for cancellation as it would in production
     */
    public static StateStore store(StateStore store, RunTracker tracker) {
        return store instanceof JobStore jobStore ? new TrackedJobStore(jobStore, tracker) : new TrackedStore(store, tracker);
    }

    /**
     * @param queue the backend's queue
     * @param tracker hears each atomic finish
     * @return a queue that reports to the tracker
     */
    public static JobQueue queue(JobQueue queue, RunTracker tracker) {
        return new TrackedQueue(queue, tracker);
    }

    private static class TrackedStore implements StateStore {
        final StateStore inner;
        final RunTracker tracker;

        TrackedStore(StateStore inner, RunTracker tracker) {
            this.inner = inner;
            this.tracker = tracker;
        }

        @Override
        public void update(Job job) {
            inner.update(job);
            tracker.stateWritten(job);
        }
    }

    private static final class TrackedJobStore extends TrackedStore implements JobStore {
        private final JobStore jobs;

        TrackedJobStore(JobStore inner, RunTracker tracker) {
            super(inner, tracker);
            this.jobs = inner;
        }

        @Override
        public Optional<Job> find(JobId id) {
            return jobs.find(id);
        }

        @Override
        public JobPage list(JobQuery query) {
            return jobs.list(query);
        }

        @Override
        public boolean requestCancel(JobId id) {
            return jobs.requestCancel(id);
        }

        /**
         * Goes straight to the store's own {@code startStep} (one atomic call in the built-in
         * stores); without this the interface's default, a find plus an update, would be measured
         * instead. The RUNNING state is not reported: the tracker times states written after a step.
         */
        @Override
        public StepStart startStep(Job running) {
            return jobs.startStep(running);
        }
    }

    private static final class TrackedQueue extends ForwardingJobQueue {
        private final RunTracker tracker;

        TrackedQueue(JobQueue inner, RunTracker tracker) {
            super(inner);
            this.tracker = tracker;
        }

        @Override
        public Optional<AtomicStepFinish> atomicStepFinish(StateStore store) {
            StateStore real = store instanceof TrackedStore tracked ? tracked.inner : store;
            return delegate().atomicStepFinish(real).map(finish -> (delivery, state, next) -> {
                tracker.finishStarting(state);
                finish.finish(delivery, state, next);
                tracker.stateWritten(state);
            });
        }

        /** The backend's own start on take, with its own store (this bench measures it as a worker would get it). */
        @Override
        public boolean startOnTake(JobStore store, StepPlan plan) {
            JobStore real = store instanceof TrackedJobStore tracked ? tracked.jobs : store;
            return delegate().startOnTake(real, plan);
        }
    }
}
