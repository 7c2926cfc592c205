package dev.ergate.jdbc;

import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.JobFormatException;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.internal.PositionCursors;
import dev.ergate.spi.CursorPage;
import dev.ergate.spi.DeadLetter;
import dev.ergate.spi.DeadLetterFilter;
import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobCounts;
import dev.ergate.spi.JobEvent;
import dev.ergate.spi.JobFilter;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobRepairs;
import dev.ergate.spi.RequeueResult;
import dev.ergate.spi.RetryOutcome;
import dev.ergate.spi.StoredJob;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jspecify.annotations.Nullable;

/**
 * The {@link JobAdmin} of a PostgreSQL backend ({@link JdbcBackend#admin()}): its jobs, their
 * history (when {@link JdbcOptions#recordHistory()}), and every queue's dead letters (left to the
 * other backend when retries go to another backend's queue). A retry onto this backend's queue and
 * every requeue are one transaction each. Thread-safe.
 */
public final class JdbcJobAdmin implements JobAdmin {

    private static final String JOB_CURSOR = "ergate-jdbc-jobs:";
    private static final String DEAD_CURSOR = "ergate-jdbc-dead:";
    private static final String RETENTION_LEASE = "retention";
    private static final Set<Operation> DEAD_LETTER_OPERATIONS = EnumSet.of(Operation.LIST_DEAD_LETTERS,
            Operation.REQUEUE_DEAD_LETTERS, Operation.PURGE_DEAD_LETTERS);

    private final JdbcBackend backend;
    private final JdbcJobStore store;
    /** The queue retries go to when it is another backend's, else null. */
    private final @Nullable JobQueue foreignQueue;
    /** The name of this backend's queue retries go to (in the same transaction), else null. */
    private final @Nullable String sameBackendQueue;
    private final Jdbi jdbi;
    private final Tables tables;
    private final JdbcOptions options;
    private final JobCodec codec;
    private final String upsertSql;
    private final String insertQueueSql;

    /**
     * @param retryQueue the queue retried jobs go to: a name of this backend's queue, or another
     *     backend's {@link JobQueue}
     */
    JdbcJobAdmin(JdbcBackend backend, JdbcJobStore store, Object retryQueue) {
        this.backend = backend;
        this.store = store;
        this.sameBackendQueue = retryQueue instanceof String name ? name : null;
        this.foreignQueue = retryQueue instanceof JobQueue queue ? queue : null;
        if (sameBackendQueue == null && foreignQueue == null) {
            throw new IllegalArgumentException("retryQueue must be a queue name or a JobQueue, got " + retryQueue);
        }
        this.jdbi = backend.jdbi();
        this.tables = backend.tables();
        this.options = backend.options();
        this.codec = options.codec();
        this.upsertSql = tables.render("with up as (" + JdbcJobStore.upsertCte(JdbcJobStore.valuesSource(), JdbcJobStore.Write.UNFENCED) + ")"
                + (options.recordHistory() ? ", h as (" + JdbcJobStore.historyInsert("up") + ")" : "")
                + " select count(*) from up");
        this.insertQueueSql = tables.render("insert into {queue} (queue_name, job_id, payload, visible_at, enqueued_at) "
                + "values (:queue, :job_id, :payload, :now, :now)");
    }

    @Override
    public Set<Operation> operations() {
        EnumSet<Operation> operations = EnumSet.allOf(Operation.class);
        if (!options.recordHistory()) {
            operations.remove(Operation.JOB_HISTORY);
        }
        if (foreignQueue != null) { // the other backend's admin manages its dead letters
            operations.removeAll(DEAD_LETTER_OPERATIONS);
        }
        return operations;
    }

    /** One {@code group by} over the jobs table. */
    @Override
    public JobCounts countJobs() {
        String sql = tables.render("select workflow_name, status, count(*) as n from {jobs} group by workflow_name, status");
        record Count(String workflow, JobStatus status, long n) {
        }
        List<Count> rows = call("count of jobs", () -> jdbi.withHandle(handle -> handle.createQuery(sql)
                .map((rs, ctx) -> new Count(rs.getString("workflow_name"), JobStatus.valueOf(rs.getString("status")),
                        rs.getLong("n")))
                .list()));
        JobCounts.Builder counts = JobCounts.builder();
        rows.forEach(row -> counts.add(row.workflow(), row.status(), row.n()));
        return counts.build();
    }

    /** Keyset on the row sequence, every filter in the {@code where} clause. */
    @Override
    public CursorPage<StoredJob> listJobs(JobFilter filter) {
        Objects.requireNonNull(filter, "filter");
        long after = decode(JOB_CURSOR, filter.cursor());
        StringBuilder sql = new StringBuilder("select seq, updated_at, ").append(JobRows.COLUMNS)
                .append(" from {jobs} where seq > :after");
        if (filter.status() != null) {
            sql.append(" and status = :status");
            if (JobRows.LISTED_STATUSES.contains(filter.status())) {
                // the same condition again, on the column whose partial index holds just this
                // status (schema version 7); QUEUED, RUNNING and COMPLETED walk seq and filter
                sql.append(" and listed_status = :status");
            }
        }
        if (filter.workflowName() != null) {
            sql.append(" and workflow_name = :workflow");
        }
        if (filter.idPrefix() != null) {
            sql.append(" and starts_with(id, :prefix)");
        }
        if (filter.updatedAfter() != null) {
            sql.append(" and updated_at >= :updated_after");
        }
        if (filter.updatedBefore() != null) {
            sql.append(" and updated_at < :updated_before");
        }
        sql.append(" order by seq limit :limit");
        String rendered = tables.render(sql.toString());
        record Row(long seq, StoredJob job) {
        }
        List<Row> rows = call("list of jobs", () -> jdbi.withHandle(handle -> {
            Query q = handle.createQuery(rendered).bind("after", after).bind("limit", filter.pageSize() + 1);
            if (filter.status() != null) {
                q.bind("status", filter.status().name());
            }
            if (filter.workflowName() != null) {
                q.bind("workflow", filter.workflowName());
            }
            if (filter.idPrefix() != null) {
                q.bind("prefix", filter.idPrefix());
            }
            if (filter.updatedAfter() != null) {
                q.bind("updated_after", JobRows.time(filter.updatedAfter()));
            }
            if (filter.updatedBefore() != null) {
                q.bind("updated_before", JobRows.time(filter.updatedBefore()));
            }
            return q.map((rs, ctx) -> new Row(rs.getLong("seq"),
                    new StoredJob(JobRows.map(rs), JobRows.instant(rs, "updated_at")))).list();
        }));
        boolean more = rows.size() > filter.pageSize();
        List<Row> page = more ? rows.subList(0, filter.pageSize()) : rows;
        return new CursorPage<>(page.stream().map(Row::job).toList(),
                more ? encode(JOB_CURSOR, page.get(page.size() - 1).seq()) : null);
    }

    @Override
    public Optional<StoredJob> findJob(JobId id) {
        Objects.requireNonNull(id, "id");
        String sql = tables.render("select updated_at, " + JobRows.COLUMNS
                + " from {jobs} where id = :id and id_is_number = :id_is_number");
        return call("find of job " + id, () -> jdbi.withHandle(handle -> JobRows.bindId(handle.createQuery(sql), id)
                .map((rs, ctx) -> new StoredJob(JobRows.map(rs), JobRows.instant(rs, "updated_at")))
                .findOne()));
    }

    /** The history table's rows of the job; only when {@link JdbcOptions#recordHistory()} is on. */
    @Override
    public List<JobEvent> history(JobId id) {
        require(Operation.JOB_HISTORY);
        return store.history(id).stream().map(t -> new JobEvent(t.recordedAt(), t.status(), t.stepName(),
                t.stepsCompleted(), t.percentCompleted())).toList();
    }

    @Override
    public boolean cancelJob(JobId id) {
        return store.requestCancel(id);
    }

    /**
     * Locks the job's row, writes the retried state (with its history row) and, when the retry
     * queue is this backend's, inserts the queue row in the same transaction.
     */
    @Override
    public RetryOutcome retryJob(JobId id) {
        Objects.requireNonNull(id, "id");
        String lockSql = tables.render("select " + JobRows.COLUMNS
                + " from {jobs} where id = :id and id_is_number = :id_is_number for update");
        record Found(RetryOutcome outcome, @Nullable Job before, @Nullable Job retried) {
        }
        Found found = call("retry of job " + id, () -> jdbi.inTransaction(handle -> {
            Optional<Job> stored = JobRows.bindId(handle.createQuery(lockSql), id)
                    .map((rs, ctx) -> JobRows.map(rs)).findOne();
            if (stored.isEmpty()) {
                return new Found(RetryOutcome.NOT_FOUND, null, null);
            }
            if (!JobRepairs.isRetryable(stored.get().status())) {
                return new Found(RetryOutcome.NOT_RETRYABLE, null, null);
            }
            Job retried = JobRepairs.retried(stored.get());
            upsert(handle, retried);
            if (sameBackendQueue != null) {
                enqueue(handle, sameBackendQueue, id.value(), codec.encode(retried));
            }
            return new Found(RetryOutcome.RETRIED, stored.get(), retried);
        }));
        if (found.outcome() != RetryOutcome.RETRIED) {
            return found.outcome();
        }
        if (sameBackendQueue != null) {
            wake(sameBackendQueue);
            return RetryOutcome.RETRIED;
        }
        Job before = Objects.requireNonNull(found.before());
        JobRepairs.putOrRestore(Objects.requireNonNull(foreignQueue), Objects.requireNonNull(found.retried()),
                () -> store.update(before));
        return RetryOutcome.RETRIED;
    }

    private void upsert(Handle handle, Job job) {
        JobRows.bind(handle.createQuery(upsertSql), job)
                .bind("now", JobRows.time(options.clock().instant()))
                .mapTo(Long.class)
                .one();
    }

    private void enqueue(Handle handle, String queue, @Nullable String jobId, byte[] payload) {
        handle.createUpdate(insertQueueSql)
                .bind("queue", queue)
                .bind("job_id", jobId)
                .bind("payload", payload)
                .bind("now", JobRows.time(options.clock().instant()))
                .execute();
    }

    private void wake(String queue) {
        try {
            backend.notifier().request(queue);
        } catch (IllegalStateException closed) {
            // the backend is closing: takers find the job by polling
        }
    }

    @Override
    public boolean deleteJob(JobId id) {
        Objects.requireNonNull(id, "id");
        String sql = tables.render("with d as (delete from {jobs} where id = :id and id_is_number = :id_is_number "
                + "returning id, id_is_number), h as (delete from {history} hh using d "
                + "where hh.job_id = d.id and hh.job_id_is_number = d.id_is_number) select count(*) from d");
        return call("delete of job " + id, () -> jdbi.withHandle(handle ->
                JobRows.bindId(handle.createQuery(sql), id).mapTo(Long.class).one())) > 0;
    }

    /** {@link JdbcJobStore#deleteFinalJobsBefore}: batches of 1,000 on the final-jobs index. */
    @Override
    public long purgeJobs(Instant cutoff) {
        return store.deleteFinalJobsBefore(cutoff);
    }

    // ---------------------------------------------------------------- dead letters

    private static final String DEAD_COLUMNS = "id, queue_name, job_id, payload, reason, delivery_count, dead_at";

    private static DeadLetter deadLetter(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new DeadLetter(Long.toString(rs.getLong("id")), rs.getString("queue_name"),
                new String(rs.getBytes("payload"), StandardCharsets.UTF_8), rs.getString("reason"),
                Objects.requireNonNull(JobRows.instant(rs, "dead_at")), rs.getInt("delivery_count"),
                rs.getString("job_id"));
    }

    private static String where(DeadLetterFilter filter) {
        StringBuilder sql = new StringBuilder();
        if (filter.sourceQueue() != null) {
            sql.append(" and queue_name = :queue");
        }
        if (filter.jobId() != null) {
            sql.append(" and job_id = :job_id");
        }
        if (filter.before() != null) {
            sql.append(" and dead_at < :before");
        }
        return sql.toString();
    }

    private static Query bind(Query query, DeadLetterFilter filter) {
        if (filter.sourceQueue() != null) {
            query.bind("queue", filter.sourceQueue());
        }
        if (filter.jobId() != null) {
            query.bind("job_id", filter.jobId());
        }
        if (filter.before() != null) {
            query.bind("before", JobRows.time(filter.before()));
        }
        return query;
    }

    @Override
    public CursorPage<DeadLetter> listDeadLetters(DeadLetterFilter filter) {
        Objects.requireNonNull(filter, "filter");
        require(Operation.LIST_DEAD_LETTERS);
        long after = decode(DEAD_CURSOR, filter.cursor());
        String sql = tables.render("select " + DEAD_COLUMNS + " from {dead} where id > :after" + where(filter)
                + " order by id limit :limit");
        List<DeadLetter> rows = call("list of dead letters", () -> jdbi.withHandle(handle ->
                bind(handle.createQuery(sql), filter).bind("after", after).bind("limit", filter.pageSize() + 1)
                        .map((rs, ctx) -> deadLetter(rs)).list()));
        boolean more = rows.size() > filter.pageSize();
        List<DeadLetter> page = more ? rows.subList(0, filter.pageSize()) : rows;
        return new CursorPage<>(page, more ? encode(DEAD_CURSOR, Long.parseLong(page.get(page.size() - 1).id())) : null);
    }

    @Override
    public RequeueResult requeueDeadLetter(String id) {
        Objects.requireNonNull(id, "id");
        require(Operation.REQUEUE_DEAD_LETTERS);
        long rowId;
        try {
            rowId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return new RequeueResult(List.of(), List.of());
        }
        String sql = tables.render("select " + DEAD_COLUMNS + " from {dead} where id = :id");
        return requeue(call("read of dead letter " + id, () -> jdbi.withHandle(handle ->
                handle.createQuery(sql).bind("id", rowId).map((rs, ctx) -> deadLetter(rs)).list())));
    }

    @Override
    public RequeueResult requeueDeadLetters(DeadLetterFilter filter) {
        Objects.requireNonNull(filter, "filter");
        require(Operation.REQUEUE_DEAD_LETTERS);
        String sql = tables.render("select " + DEAD_COLUMNS + " from {dead} where true" + where(filter) + " order by id");
        return requeue(call("read of dead letters", () -> jdbi.withHandle(handle ->
                bind(handle.createQuery(sql), filter).map((rs, ctx) -> deadLetter(rs)).list())));
    }

    /**
     * Per dead letter, one transaction: delete its row, insert the payload (as it was) into its
     * queue, and set a final stored state of the job back to QUEUED.
     */
    private RequeueResult requeue(List<DeadLetter> deadLetters) {
        String takeSql = tables.render("delete from {dead} where id = :id returning payload");
        String finalSql = tables.render("select " + JobRows.COLUMNS + " from {jobs} where id = :id "
                + "and id_is_number = :id_is_number and status in " + JobRows.FINAL_STATUSES + " for update");
        List<String> requeued = new ArrayList<>();
        List<RequeueResult.Kept> kept = new ArrayList<>();
        for (DeadLetter deadLetter : deadLetters) {
            Job job;
            try {
                job = codec.decode(deadLetter.body());
            } catch (JobFormatException e) {
                kept.add(new RequeueResult.Kept(deadLetter.id(), "still not a job: " + e.getMessage()));
                continue;
            }
            JobId jobId = job.id();
            boolean done = call("requeue of dead letter " + deadLetter.id(), () -> jdbi.inTransaction(handle -> {
                Optional<byte[]> payload = handle.createQuery(takeSql).bind("id", Long.parseLong(deadLetter.id()))
                        .mapTo(byte[].class).findOne();
                if (payload.isEmpty()) {
                    return false; // requeued or purged meanwhile
                }
                if (jobId != null && JobRows.bindId(handle.createQuery(finalSql), jobId)
                        .map((rs, ctx) -> JobRows.map(rs)).findOne().isPresent()) {
                    upsert(handle, job.toBuilder().status(JobStatus.QUEUED).build());
                }
                enqueue(handle, deadLetter.sourceQueue(), jobId == null ? null : jobId.value(), payload.get());
                return true;
            }));
            if (done) {
                requeued.add(deadLetter.id());
                wake(deadLetter.sourceQueue());
            }
        }
        return new RequeueResult(requeued, kept);
    }

    @Override
    public long purgeDeadLetters(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        require(Operation.PURGE_DEAD_LETTERS);
        String sql = tables.render("delete from {dead} where dead_at < :cutoff");
        return call("purge of dead letters", () -> jdbi.withHandle(handle -> handle.createUpdate(sql)
                .bind("cutoff", JobRows.time(cutoff)).execute()));
    }

    /** One upsert on the leases table that only takes a free, expired or own lease. */
    @Override
    public boolean tryRetentionLease(String owner, Duration duration) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(duration, "duration");
        String sql = tables.render("insert into {leases} as l (name, owner, expires_at) values (:name, :owner, :until) "
                + "on conflict (name) do update set owner = excluded.owner, expires_at = excluded.expires_at "
                + "where l.owner = excluded.owner or l.expires_at <= :now");
        Instant now = options.clock().instant();
        return call("retention lease", () -> jdbi.withHandle(handle -> handle.createUpdate(sql)
                .bind("name", RETENTION_LEASE)
                .bind("owner", owner)
                .bind("until", JobRows.time(now.plus(duration)))
                .bind("now", JobRows.time(now))
                .execute())) > 0;
    }

    // ---------------------------------------------------------------- helpers

    private void require(Operation operation) {
        if (!supports(operation)) {
            throw unsupported(operation);
        }
    }

    private static <T> T call(String what, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw JdbcFailures.translate(what, e);
        }
    }

    private static String encode(String prefix, long position) {
        return PositionCursors.encode(prefix, position);
    }

    private static long decode(String prefix, @Nullable String cursor) {
        return PositionCursors.decode(prefix, cursor, "JdbcJobAdmin", 0);
    }

    @Override
    public String toString() {
        return "JdbcJobAdmin[" + tables + "]";
    }
}
