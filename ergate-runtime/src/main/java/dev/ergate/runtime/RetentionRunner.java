package dev.ergate.runtime;

import dev.ergate.internal.DaemonThreads;
import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobAdmin.Operation;
import dev.ergate.spi.RetentionPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link RetentionPolicy} in the background: every {@link RetentionPolicy#interval()}
 * it takes (or renews) the backend's retention lease and, while it holds it, purges final jobs
 * and dead letters older than the policy says, so one worker at a time does it (DESIGN.md,
 * "The admin SPI"). Off unless a policy deletes something. Thread-safe.
 */
public final class RetentionRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionRunner.class);
    /** The lease lasts this many intervals, so a holder that dies hands over within a few runs. */
    private static final int LEASE_INTERVALS = 3;

    /**
     * What one run did.
     *
     * @param leaseHeld whether this runner held the lease (or the admin has none), and so purged
     * @param jobsDeleted final jobs deleted
     * @param deadLettersDeleted dead letters deleted
     */
    public record Run(boolean leaseHeld, long jobsDeleted, long deadLettersDeleted) {
    }

    private final JobAdmin admin;
    private final RetentionPolicy policy;
    private final Clock clock;
    private final String owner;
    private final Object lock = new Object();
    private @Nullable ScheduledExecutorService scheduler;
    private boolean closed;

    private RetentionRunner(JobAdmin admin, RetentionPolicy policy, Clock clock, String owner) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /**
     * @param admin the backend's admin
     * @param policy what to delete, and how often to look
     * @return a runner on the system clock with a random owner id, not started
     */
    public static RetentionRunner of(JobAdmin admin, RetentionPolicy policy) {
        return of(admin, policy, Clock.systemUTC(), "ergate-" + UUID.randomUUID());
    }

    /**
     * @param admin the backend's admin
     * @param policy what to delete, and how often to look
     * @param clock where "now" comes from, for the cutoffs and the lease
     * @param owner this worker's id in the lease (unique per worker)
     * @return a runner, not started
     */
    public static RetentionRunner of(JobAdmin admin, RetentionPolicy policy, Clock clock, String owner) {
        return new RetentionRunner(admin, policy, clock, owner);
    }

    /**
     * Runs at once, then every {@link RetentionPolicy#interval()}, on a daemon thread, until
     * {@link #close()}. Does nothing when the policy deletes nothing. Warns once about what the
     * admin can't do (without a lease every worker purges: harmless, only repeated work).
     *
     * @return this runner
     * @throws IllegalStateException if closed
     */
    public RetentionRunner start() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("this RetentionRunner is closed");
            }
            if (scheduler != null || !policy.isEnabled()) {
                return this;
            }
            warnAboutMissingOperations();
            ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
                    r -> DaemonThreads.newThread("ergate-retention", r));
            long every = policy.interval().toMillis();
            executor.scheduleWithFixedDelay(this::runQuietly, 0, every, TimeUnit.MILLISECONDS);
            scheduler = executor;
            LOG.info("Retention runner {} started: final jobs older than {}, dead letters older than {}, every {}",
                    owner, policy.finalJobs().map(Duration::toString).orElse("(kept)"),
                    policy.deadLetters().map(Duration::toString).orElse("(kept)"), policy.interval());
            return this;
        }
    }

    private void warnAboutMissingOperations() {
        if (!admin.supports(Operation.RETENTION_LEASE)) {
            LOG.warn("{} has no retention lease: every worker with a retention runner purges", admin);
        }
        if (policy.finalJobs().isPresent() && !admin.supports(Operation.PURGE_JOBS)) {
            LOG.warn("{} can't purge jobs: the retention of final jobs is not applied", admin);
        }
        if (policy.deadLetters().isPresent() && !admin.supports(Operation.PURGE_DEAD_LETTERS)) {
            LOG.warn("{} can't purge dead letters: their retention is not applied", admin);
        }
    }

    private void runQuietly() {
        try {
            Run run = runOnce();
            if (run.jobsDeleted() > 0 || run.deadLettersDeleted() > 0) {
                LOG.info("Retention: deleted {} final jobs and {} dead letters", run.jobsDeleted(),
                        run.deadLettersDeleted());
            }
        } catch (RuntimeException e) {
            LOG.warn("Retention run failed; trying again in {}: {}", policy.interval(), e.toString());
        }
    }

    /**
     * One run, in the calling thread: takes or renews the lease, then purges what the policy and
     * the admin allow.
     *
     * @return what it did
     * @throws RuntimeException what the admin throws (an {@link dev.ergate.spi.ErgateBackendException})
     */
    public Run runOnce() {
        if (admin.supports(Operation.RETENTION_LEASE)
                && !admin.tryRetentionLease(owner, policy.interval().multipliedBy(LEASE_INTERVALS))) {
            return new Run(false, 0, 0);
        }
        Instant now = clock.instant();
        long jobs = 0;
        long deadLetters = 0;
        if (policy.finalJobsOlderThan() != null && admin.supports(Operation.PURGE_JOBS)) {
            jobs = admin.purgeJobs(now.minus(policy.finalJobsOlderThan()));
        }
        if (policy.deadLettersOlderThan() != null && admin.supports(Operation.PURGE_DEAD_LETTERS)) {
            deadLetters = admin.purgeDeadLetters(now.minus(policy.deadLettersOlderThan()));
        }
        return new Run(true, jobs, deadLetters);
    }

    /** {@return whether the background runs are going} */
    public boolean isRunning() {
        synchronized (lock) {
            return scheduler != null && !closed;
        }
    }

    /** Stops the background runs (a run in progress finishes). Idempotent. */
    @Override
    public void close() {
        ScheduledExecutorService executor;
        synchronized (lock) {
            closed = true;
            executor = scheduler;
            scheduler = null;
        }
        if (executor != null) {
            executor.shutdown();
        }
    }

    @Override
    public String toString() {
        return "RetentionRunner[" + owner + ", " + policy + ", " + admin + "]";
    }
}
