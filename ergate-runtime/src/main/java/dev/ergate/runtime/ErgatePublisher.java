package dev.ergate.runtime;

import com.fasterxml.jackson.databind.node.LongNode;
import dev.ergate.Job;
import dev.ergate.JobStatus;
import dev.ergate.RuntimeFields;
import dev.ergate.internal.DaemonThreads;
import dev.ergate.spi.AtomicPublish;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobSource;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves due jobs (SCHEDULED or PENDING, start time passed) from a {@link JobSource} onto a {@link
 * JobQueue} as QUEUED, at least once: a failed put is offered again, a crash lets the claim time
 * out. Needed for scheduled jobs on a queue without delay and for PENDING-after-step workers (the
 * runtime README says when). {@link #publishDue()} for one pass, {@link #start()} for a loop.
 * Thread-safe.
 */
public final class ErgatePublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ErgatePublisher.class);

    private final JobSource source;
    private final JobQueue queue;
    /** Put and report in one transaction, when the source offers it for this queue. */
    private final @Nullable AtomicPublish atomicPublish;
    private final PublisherOptions options;
    private final Object lock = new Object();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private @Nullable Thread thread;
    /** Fires recurring schedules alongside, or null. */
    private final dev.ergate.runtime.schedule.@Nullable Scheduler scheduler;

    private final @Nullable Lifespan lifespan;
    private @Nullable AutoCloseable lifespanHandle;
    /**
     * Jobs put whose {@code published} report failed, by id and progress: the source offers them
     * again once their claim times out, and they must not be put twice (two messages, two chains).
     */
    private final java.util.Map<String, Boolean> putUnreported = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, false) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, Boolean> eldest) {
                    return size() > 10_000;
                }
            });

    /**
     * Wraps a publisher's whole run, like the worker's {@link dev.ergate.runtime.Lifespan}: {@code
     * start} before the first pass, the returned handle closed after the last.
     */
    @FunctionalInterface
    public interface Lifespan {
        /**
         * @param publisher the publisher that is starting
         * @return what to close when it stops
         * @throws Exception if setting up fails: the publisher does not start
         */
        AutoCloseable start(ErgatePublisher publisher) throws Exception;
    }

    private ErgatePublisher(Builder b) {
        this.source = b.source;
        this.queue = b.queue;
        this.atomicPublish = b.source.atomicPublish(b.queue).orElse(null);
        this.options = b.options;
        this.scheduler = b.scheduler;
        this.lifespan = b.lifespan;
    }

    /**
     * @param source where due jobs come from
     * @param queue where they are put
     * @return a builder, with {@link PublisherOptions#defaults()}
     */
    public static Builder builder(JobSource source, JobQueue queue) {
        return new Builder(source, queue);
    }

    /**
     * One pass: claims up to a batch of due jobs and publishes each.
     *
     * @return how many jobs were put on the queue
     * @throws dev.ergate.spi.ErgateBackendException if the source fails to hand out or record jobs
     */
    public int publishDue() {
        List<Job> due = source.claimDue(options.clock().instant(), options.batchSize());
        int published = 0;
        for (Job job : due) {
            Job queued = job.toBuilder().status(JobStatus.QUEUED)
                    .extraField(RuntimeFields.QUEUED_AT, LongNode.valueOf(options.clock().millis())).build();
            if (atomicPublish != null) {
                published += publishAtomically(atomicPublish, job, queued);
                continue;
            }
            String key = job.id() + "@" + job.stepsCompleted() + "/" + dev.ergate.spi.WriteFence.attemptOf(job);
            if (putUnreported.remove(key) != null) {
                // put by an earlier pass whose report failed: only the report is missing
                source.published(queued);
                continue;
            }
            try {
                queue.put(queued);
            } catch (RuntimeException e) {
                LOG.warn("Putting job {} of workflow '{}' on the queue failed; handing it back to the source: {}",
                        job.id(), job.workflowName(), e.toString());
                source.publishFailed(job, e);
                continue;
            }
            published++;
            try {
                source.published(queued);
            } catch (RuntimeException e) {
                putUnreported.put(key, Boolean.TRUE);
                throw e;
            }
        }
        if (published > 0) {
            LOG.debug("Published {} of {} due jobs", published, due.size());
        }
        return published;
    }

    /** @return 1 if the job was put, 0 if not (the claim was lost, or the put failed and was reported) */
    private int publishAtomically(AtomicPublish atomic, Job job, Job queued) {
        try {
            return atomic.publish(queued) ? 1 : 0;
        } catch (RuntimeException e) {
            LOG.warn("Publishing job {} of workflow '{}' failed; handing it back to the source: {}",
                    job.id(), job.workflowName(), e.toString());
            source.publishFailed(job, e);
            return 0;
        }
    }

    /**
     * Starts publishing on a background thread and returns.
     *
     * @throws IllegalStateException if already started
     */
    public void start() {
        synchronized (lock) {
            if (thread != null || stopRequested.getCount() == 0) {
                throw new IllegalStateException("this publisher was already started");
            }
            if (lifespan != null) {
                try {
                    lifespanHandle = lifespan.start(this);
                } catch (Exception e) {
                    stopRequested.countDown();
                    stopped.countDown();
                    throw new IllegalStateException("the lifespan's start failed, so the publisher does not start: " + e, e);
                }
            }
            thread = DaemonThreads.newThread("ergate-publisher", this::loop);
            thread.start();
            if (scheduler != null) {
                scheduler.start();
            }
        }
    }

    /**
     * Starts publishing and blocks until it has stopped: by {@link #close()} from another thread,
     * or by SIGTERM/SIGINT when {@link PublisherOptions#handleSignals()} is on (a JVM shutdown hook
     * ends the current pass and runs the lifespan's close before the JVM exits).
     */
    public void run() {
        Thread hook = null;
        if (options.handleSignals()) {
            hook = new Thread(this::close, "ergate-publisher-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
        }
        try {
            start();
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
        } finally {
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is exiting: the hook is running or has run
                }
            }
        }
    }

    private void loop() {
        int failures = 0;
        try {
            while (stopRequested.getCount() > 0) {
                Duration wait;
                try {
                    int published = publishDue();
                    failures = 0;
                    wait = published >= options.batchSize() ? Duration.ZERO : options.pollInterval();
                } catch (RuntimeException e) {
                    failures++;
                    wait = Backoff.delay(options.retryInitialDelay(), 2.0, options.retryMaxDelay(), 0.5,
                            failures - 1, ThreadLocalRandom.current().nextDouble());
                    LOG.warn("Publishing pass failed ({} in a row); next try in {}: {}", failures, wait, e.toString());
                }
                if (!wait.isZero() && stopRequested.await(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeLifespan();
            stopped.countDown();
        }
    }

    private void closeLifespan() {
        AutoCloseable handle;
        synchronized (lock) {
            handle = lifespanHandle;
            lifespanHandle = null;
        }
        if (handle != null) {
            try {
                handle.close();
            } catch (Exception e) {
                LOG.warn("The publisher's lifespan close failed", e);
            }
        }
    }

    /** Stops the background loop after its current pass and waits for it. Idempotent. */
    @Override
    public void close() {
        Thread running;
        synchronized (lock) {
            stopRequested.countDown();
            running = thread;
        }
        if (scheduler != null) {
            scheduler.close();
        }
        if (running == null) {
            stopped.countDown();
            return;
        }
        try {
            running.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Configures an {@link ErgatePublisher}. Not thread-safe. */
    public static final class Builder {
        private final JobSource source;
        private final JobQueue queue;
        private PublisherOptions options = PublisherOptions.defaults();
        private dev.ergate.runtime.schedule.@Nullable Scheduler scheduler;
        private @Nullable Lifespan lifespan;

        private Builder(JobSource source, JobQueue queue) {
            this.source = Objects.requireNonNull(source, "source");
            this.queue = Objects.requireNonNull(queue, "queue");
        }

        /**
         * @param options how often and how many
         * @return this builder
         */
        public Builder options(PublisherOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * @param scheduler fires recurring schedules while the publisher runs (started and closed
         *     with it), for deployments where the publisher, not the workers, submits
         * @return this builder
         */
        public Builder scheduler(dev.ergate.runtime.schedule.Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * @param lifespan wraps the publisher's run (start before the first pass, close after the last)
         * @return this builder
         */
        public Builder lifespan(@Nullable Lifespan lifespan) {
            this.lifespan = lifespan;
            return this;
        }

        /** {@return the publisher, not started} */
        public ErgatePublisher build() {
            return new ErgatePublisher(this);
        }
    }
}
