package dev.ergate.jdbc;

import dev.ergate.Job;
import dev.ergate.spi.AtomicPublish;
import dev.ergate.spi.ErgateBackendException;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobSource;
import dev.ergate.spi.JobTooLargeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publisher's {@link JobSource} over the jobs table: hands out due SCHEDULED and PENDING jobs,
 * oldest due first, claimed with {@code FOR UPDATE SKIP LOCKED} so no two publishers get one job
 * while a claim holds; an unreported claim runs out after {@link
 * JdbcOptions#publisherClaimTimeout()}, by PostgreSQL's clock; on a queue of the same backend the
 * put and the report are one transaction ({@link #atomicPublish}). From {@link
 * JdbcBackend#jobSource()}; each instance is a distinct claimer. Thread-safe. How: the module README, "Publisher".
 */
public final class JdbcJobSource implements JobSource {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcJobSource.class);

    private final JdbcBackend backend;
    private final Jdbi jdbi;
    private final JdbcOptions options;
    private final String owner;
    private final String claimSql;
    private final String publishedSql;
    private final String unclaimSql;

    JdbcJobSource(JdbcBackend backend) {
        this.backend = backend;
        this.jdbi = backend.jdbi();
        this.options = backend.options();
        this.owner = options.ownerName() + "/" + UUID.randomUUID().toString().substring(0, 8);
        Tables t = backend.tables();
        // due times and claims are compared with the database's clock (now(): the statement's
        // start), never the publisher's, as the queue does with leases: a publisher whose clock
        // runs ahead neither publishes a delayed job early nor takes over a live claim
        // due_at (schema version 7) is coalesce(requested_start_time, updated_at) for exactly the
        // SCHEDULED and PENDING jobs, null otherwise: its partial index holds just those, in due order
        this.claimSql = t.render("with due as (select id, id_is_number from {jobs} "
                + "where due_at is not null "
                + "and (requested_start_time is null or requested_start_time <= now()) "
                + "and (claim_expires_at is null or claim_expires_at <= now()) "
                + "order by due_at, seq limit :max for update skip locked) "
                + "update {jobs} j set claimed_by = :owner, "
                + "claim_expires_at = now() + :claim_ms * interval '1 millisecond' from due "
                + "where j.id = due.id and j.id_is_number = due.id_is_number "
                + "returning " + JobRows.columns("j") + ", j.due_at, "
                + "j.seq");
        String update = "update {jobs} j set workflow_name = :workflow_name, step_name = :step_name, "
                + "status = case when j.status = 'CANCELLING' and cast(:status as text) not in "
                + JobRows.FINAL_STATUSES + " then 'CANCELLING' else cast(:status as text) end, "
                + "steps_completed = :steps_completed, percent_completed = :percent_completed, "
                + "initial_input_value = cast(:initial_input_value as jsonb), "
                + "last_return_value = cast(:last_return_value as jsonb), "
                + "exception_traceback = :exception_traceback, user_context = cast(:user_context as jsonb), "
                + "requested_start_time = :requested_start_time, extra_fields = cast(:extra_fields as jsonb), "
                + "version = j.version + 1, updated_at = :now, claimed_by = null, claim_expires_at = null "
                + "where j.id = :id and j.id_is_number = :id_is_number and j.claimed_by = :owner";
        // returns the version written: the atomic publish's queue row records it, so the claim
        // starts the job's step (JdbcJobQueue.startOnTake) as it does for a submitted job
        this.publishedSql = t.render("with up as (" + update + " returning j.id, j.id_is_number, j.version, "
                + "j.status, j.step_name, j.steps_completed, j.percent_completed, j.updated_at)"
                + (options.recordHistory() ? ", h as (" + JdbcJobStore.historyInsert("up") + ")" : "")
                + " select version from up");
        this.unclaimSql = t.render("update {jobs} set claimed_by = null, claim_expires_at = null "
                + "where id = :id and id_is_number = :id_is_number and claimed_by = :owner");
    }

    private record Due(Job job, Instant dueAt, long seq) {
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code now} is not used: due times and claim deadlines are compared with PostgreSQL's clock.
     */
    @Override
    public List<Job> claimDue(Instant now, int max) {
        Objects.requireNonNull(now, "now");
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, got " + max);
        }
        List<Due> due;
        try {
            due = jdbi.withHandle(handle -> handle.createQuery(claimSql)
                    .bind("max", max)
                    .bind("owner", owner)
                    .bind("claim_ms", options.publisherClaimTimeout().toMillis())
                    .map((rs, ctx) -> new Due(JobRows.map(rs),
                            Objects.requireNonNull(JobRows.instant(rs, "due_at")), rs.getLong("seq")))
                    .list());
        } catch (RuntimeException e) {
            throw JdbcFailures.translate("claim of due jobs", e);
        }
        List<Due> sorted = new ArrayList<>(due);
        sorted.sort(Comparator.comparing(Due::dueAt).thenComparingLong(Due::seq));
        List<Job> jobs = new ArrayList<>(sorted.size());
        sorted.forEach(d -> jobs.add(d.job()));
        return jobs;
    }

    /**
     * Records the job as it was put, and drops the claim, if this source still holds the claim.
     * When it doesn't (the claim ran out, or a worker already wrote a newer state), nothing is
     * written, so a fast worker's state is never overwritten by an older QUEUED.
     *
     * @throws ErgateBackendException if PostgreSQL fails
     */
    @Override
    public void published(Job queued) {
        requireId(queued);
        int rows;
        try {
            rows = jdbi.withHandle(handle -> recordPublished(handle, queued).mapTo(Long.class).list().size());
        } catch (RuntimeException e) {
            throw JdbcFailures.translate("record of published job " + queued.id(), e);
        }
        if (rows == 0) {
            LOG.debug("Published job {} was no longer claimed by {}; its stored state is newer", queued.id(), owner);
        }
    }

    private static void requireId(Job queued) {
        Objects.requireNonNull(queued, "queued");
        if (queued.id() == null) {
            throw new IllegalArgumentException("published job of workflow '" + queued.workflowName() + "' has no id");
        }
    }

    /** The QUEUED write, if this source still holds the claim; its query yields the version written. */
    private Query recordPublished(Handle handle, Job queued) {
        return JobRows.bind(handle.createQuery(publishedSql), queued)
                .bind("owner", owner)
                .bind("now", JobRows.time(options.clock().instant()));
    }

    /**
     * On a queue of this backend (same database, same tables), publishes in one transaction: the
     * QUEUED state is written only while this source holds the job's claim, and the queue row is
     * inserted in the same transaction, so a publisher whose claim ran out and was taken over (a
     * pause past {@link JdbcOptions#publisherClaimTimeout()}) puts nothing: one message per publish
     * of a job, never two.
     *
     * @param queue the queue the publisher puts on
     * @return the atomic publish, or empty for a queue of another backend or system
     */
    @Override
    public Optional<AtomicPublish> atomicPublish(JobQueue queue) {
        Objects.requireNonNull(queue, "queue");
        if (queue instanceof JdbcJobQueue jdbc && jdbc.backend() == backend) {
            return Optional.of(queued -> publishAtomically(jdbc, queued));
        }
        return Optional.empty();
    }

    /**
     * @throws JobTooLargeException if the job is over the queue's size limit; nothing is written
     */
    private boolean publishAtomically(JdbcJobQueue queue, Job queued) {
        requireId(queued);
        byte[] payload = queue.payload(queued);
        boolean put;
        try {
            put = jdbi.inTransaction(handle -> {
                // the update takes the job row's lock and checks the claim; the insert follows it
                Optional<Long> version = recordPublished(handle, queued).mapTo(Long.class).findOne();
                if (version.isEmpty()) {
                    return false;
                }
                queue.insertIn(handle, queued, payload, version.get());
                return true;
            });
        } catch (RuntimeException e) {
            throw JdbcFailures.translate("publish of job " + queued.id() + " on queue '" + queue.name() + "'", e);
        }
        if (put) {
            queue.wakeTakers();
        } else {
            LOG.info("Job {} was no longer claimed by {} (its claim ran out or a newer state was written); "
                    + "not put on queue '{}'", queued.id(), owner, queue.name());
        }
        return put;
    }

    @Override
    public void publishFailed(Job job, Exception failure) {
        Objects.requireNonNull(job, "job");
        if (job.id() == null) {
            return; // nothing was claimed under no id
        }
        LOG.warn("Publishing job {} of workflow '{}' failed; it will be offered again: {}", job.id(),
                job.workflowName(), String.valueOf(failure));
        try {
            jdbi.useHandle(handle -> JobRows.bindId(handle.createUpdate(unclaimSql), Objects.requireNonNull(job.id(), "a claimed job has an id"))
                    .bind("owner", owner)
                    .execute());
        } catch (RuntimeException e) {
            throw JdbcFailures.translate("release of the claim on job " + job.id(), e);
        }
    }

    /** {@return who this source claims as, as written to {@code claimed_by}} */
    public String owner() {
        return owner;
    }

    @Override
    public String toString() {
        return "JdbcJobSource[" + owner + "]";
    }
}
