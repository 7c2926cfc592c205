package dev.ergate.dashboard;

import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.DeadLetter;
import dev.ergate.spi.DeadLetterFilter;
import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobAdmin.Operation;
import dev.ergate.spi.JobEvent;
import dev.ergate.spi.JobFilter;
import dev.ergate.spi.QueueCounts;
import dev.ergate.spi.QueueStats;
import dev.ergate.spi.RequeueResult;
import dev.ergate.spi.StoredJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@link Operations} over a backend's {@link JobAdmin} and its queue's {@link QueueStats}. What
 * the admin can't do is reported as a capability note, never attempted. Thread-safe.
 */
final class AdminOperations implements Operations {

    private final JobAdmin admin;
    private final @Nullable QueueStats queueStats;

    AdminOperations(JobAdmin admin, @Nullable QueueStats queueStats) {
        this.admin = admin;
        this.queueStats = queueStats;
    }

    @Override
    public Capabilities capabilities() {
        List<String> notes = new ArrayList<>();
        if (!admin.supports(Operation.JOB_HISTORY)) {
            notes.add("This store keeps no job history: a job shows its last state only.");
        }
        if (!admin.supports(Operation.LIST_DEAD_LETTERS)) {
            notes.add("This backend can't list its dead letters without taking them off their queue.");
        }
        if (!admin.supports(Operation.REQUEUE_DEAD_LETTERS)) {
            notes.add("This backend can't requeue dead letters.");
        }
        if (queueStats == null) {
            notes.add("The queue does not report its counts.");
        }
        return new Capabilities(admin.supports(Operation.RETRY_JOB), admin.supports(Operation.DELETE_JOB),
                admin.supports(Operation.JOB_HISTORY), admin.supports(Operation.LIST_DEAD_LETTERS),
                admin.supports(Operation.REQUEUE_DEAD_LETTERS), admin.supports(Operation.PURGE_DEAD_LETTERS), notes);
    }

    @Override
    public Map<String, Map<JobStatus, Long>> counts() {
        return admin.supports(Operation.COUNT_JOBS) ? admin.countJobs().byWorkflow() : Map.of();
    }

    @Override
    public Optional<QueueCounts> queueCounts() {
        return queueStats == null ? Optional.empty() : Optional.of(queueStats.counts());
    }

    @Override
    public Page<StoredJob> jobs(JobFilter filter, int limit) {
        var page = admin.listJobs(filter);
        return new Page<>(page.items(), page.nextCursor());
    }

    @Override
    public Optional<JobDetail> job(JobId id) {
        Optional<StoredJob> found = admin.findJob(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (!admin.supports(Operation.JOB_HISTORY)) {
            return Optional.of(new JobDetail(found.get(), null, "This store keeps no history of a job's steps."));
        }
        List<JobEvent> history = admin.history(id);
        return Optional.of(new JobDetail(found.get(), history, ""));
    }

    @Override
    public Outcome cancel(JobId id) {
        return admin.cancelJob(id)
                ? new Outcome(true, "Job " + id + " will be cancelled before its next step.")
                : new Outcome(false, "Job " + id + " is unknown or has already ended.");
    }

    @Override
    public Outcome retry(JobId id) {
        return switch (admin.retryJob(id)) {
            case RETRIED -> new Outcome(true, "Job " + id + " is queued again from the step it ended at.");
            case NOT_FOUND -> new Outcome(false, "No job " + id + ".");
            case NOT_RETRYABLE -> new Outcome(false, "Job " + id + " is not FAILED, ABORTED or CANCELLED.");
        };
    }

    @Override
    public Outcome delete(JobId id) {
        return admin.deleteJob(id)
                ? new Outcome(true, "Job " + id + " deleted.")
                : new Outcome(false, "No job " + id + ".");
    }

    @Override
    public Page<DeadLetter> deadLetters(@Nullable String cursor, int limit) {
        var page = admin.listDeadLetters(DeadLetterFilter.builder().pageSize(limit).cursor(cursor).build());
        return new Page<>(page.items(), page.nextCursor());
    }

    @Override
    public Outcome requeue(String deadLetterId) {
        return describe(admin.requeueDeadLetter(deadLetterId), "dead letter " + deadLetterId);
    }

    @Override
    public Outcome requeueAll() {
        return describe(admin.requeueDeadLetters(DeadLetterFilter.all()), "every dead letter");
    }

    @Override
    public Outcome purgeDeadLetters(Instant before) {
        long purged = admin.purgeDeadLetters(before);
        return new Outcome(purged > 0, purged + " dead letter" + (purged == 1 ? "" : "s") + " purged.");
    }

    private static Outcome describe(RequeueResult result, String what) {
        if (result.requeued().isEmpty() && result.kept().isEmpty()) {
            return new Outcome(false, "Nothing to requeue (" + what + ").");
        }
        StringBuilder message = new StringBuilder().append(result.requeued().size()).append(" requeued");
        if (!result.kept().isEmpty()) {
            message.append(", ").append(result.kept().size()).append(" kept: ")
                    .append(result.kept().get(0).reason());
            if (result.kept().size() > 1) {
                message.append(" (and ").append(result.kept().size() - 1).append(" more)");
            }
        }
        return new Outcome(!result.requeued().isEmpty(), message.append('.').toString());
    }
}
