package dev.ergate.jdbc;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.ErgateBackendException;
import dev.ergate.spi.JobPage;
import dev.ergate.spi.JobQuery;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.StaleStateException;
import dev.ergate.spi.StepStart;
import dev.ergate.spi.UniqueJobs;
import java.time.Duration;
import dev.ergate.spi.WriteFence;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jspecify.annotations.Nullable;

/**
 * A {@link JobStore} in PostgreSQL, from {@link JdbcBackend#store()}: one row per job (JSONB for
 * JSON values) and, unless {@link JdbcOptions#recordHistory()} is off, one history row per
 * transition; last writer wins except over CANCELLING, keyset paging. Values come back as
 * PostgreSQL stores them (JSONB key order, microseconds). Thread-safe.
 */
public final class JdbcJobStore implements JobStore, UniqueJobs {

    private static final int RETENTION_BATCH = 1000;
    private static final String CURSOR_PREFIX = "ergate-jdbc:";
    private static final int START_STEP_ATTEMPTS = 5;

    private final JdbcBackend backend;
    private final Jdbi jdbi;
    private final Tables tables;
    private final JdbcOptions options;
    private final String upsertSql;
    private final String upsertRunningSql;
    private final String replaceSql;
    private final String insertSql;
    private final String uniqueSql;
    private final StartStatement startStatement;
    private final String findSql;
    private final String historySql;
    private final String cancelSql;
    private final String retentionSql;

    JdbcJobStore(JdbcBackend backend) {
        this.backend = backend;
        this.jdbi = backend.jdbi();
        this.tables = backend.tables();
        this.options = backend.options();
        String update = "with up as (" + upsertCte(valuesSource()) + ")"
                + (options.recordHistory() ? ", h as (" + historyInsert("up") + ")" : "")
                + " select count(*) from up";
        this.upsertSql = tables.render(update);
        // the fence keeps a RUNNING write from replacing a final state: it comes from a worker whose
        // lease may be stale (e.g. its claim was undone by a database crash) after another finished the job
        String updateRunning = update;
        String replace = "with up as (" + upsertCte(valuesSource(), Write.REPLACE) + ")"
                + (options.recordHistory() ? ", h as (" + historyInsert("up") + ")" : "")
                + " select count(*) from up";
        this.replaceSql = tables.render(replace);
        String insert = "with up as (insert into {jobs} as j (" + JobRows.COLUMNS + ", created_at, updated_at) "
                + valuesSource() + " on conflict (id, id_is_number) do nothing returning j.id, j.id_is_number, "
                + "j.version, j.status, j.step_name, j.steps_completed, j.percent_completed, j.updated_at)"
                + (options.recordHistory() ? ", h as (" + historyInsert("up") + ")" : "")
                + " select count(*) from up";
        this.insertSql = tables.render(insert);
        // the unique index over non-final jobs' keys (schema version 3) makes the check atomic: of
        // two records racing past the look-up, the second insert conflicts and writes nothing
        this.uniqueSql = tables.render("with holder as (select id, id_is_number from {jobs} where live_unique_key = :key), "
                + "up as (insert into {jobs} as j (" + JobRows.COLUMNS + ", created_at, updated_at, unique_key) "
                + "select " + JobRows.VALUES + ", :now, :now, :key where not exists (select 1 from holder) "
                + "on conflict do nothing returning j.id, j.id_is_number, j.version, j.status, j.step_name, "
                + "j.steps_completed, j.percent_completed, j.updated_at)"
                + (options.recordHistory() ? ", h as (" + historyInsert("up") + ")" : "")
                + " select (select count(*) from up) as written, (select id from holder limit 1) as holder_id, "
                + "(select id_is_number from holder limit 1) as holder_is_number");
        this.upsertRunningSql = tables.render("with cfg as (select set_config('synchronous_commit', 'off', true) as v), "
                + updateRunning.substring("with ".length()) + " cross join cfg");
        this.startStatement = new StartStatement(tables, options.recordHistory());
        this.findSql = tables.render("select " + JobRows.COLUMNS
                + " from {jobs} where id = :id and id_is_number = :id_is_number");
        this.historySql = tables.render("select job_id, job_id_is_number, version, status, step_name, "
                + "steps_completed, percent_completed, recorded_at from {history} "
                + "where job_id = :id and job_id_is_number = :id_is_number order by seq");
        // a SCHEDULED or PENDING job has no message a worker would see the request on: it ends at once
        String cancel = "update {jobs} set status = case when status in ('SCHEDULED', 'PENDING') then 'CANCELLED' "
                + "else 'CANCELLING' end, version = version + 1, updated_at = :now, "
                + "claimed_by = null, claim_expires_at = null "
                + "where id = :id and id_is_number = :id_is_number "
                + "and status not in " + JobRows.FINAL_STATUSES + " and status <> 'CANCELLING' "
                + "returning id, id_is_number, version, status, step_name, steps_completed, percent_completed, "
                + "updated_at";
        this.cancelSql = tables.render("with c as (" + cancel + ")"
                + (options.recordHistory() ? ", h as (" + historyInsert("c") + ")" : "")
                + " select (select count(*) from c) + (select count(*) from {jobs} "
                + "where id = :id and id_is_number = :id_is_number and status = 'CANCELLING')");
        this.retentionSql = tables.render("with d as (delete from {jobs} where (id, id_is_number) in ("
                // created_at: the index (schema version 7) holds no status, so the step path's
                // writes stay HOT; a job last written before the cutoff was created before it
                + "select id, id_is_number from {jobs} where created_at < :cutoff and status in "
                + JobRows.FINAL_STATUSES + " and updated_at < :cutoff limit " + RETENTION_BATCH
                + " for update skip locked) "
                + "returning id, id_is_number)"
                + ", h as (delete from {history} hh using d "
                + "where hh.job_id = d.id and hh.job_id_is_number = d.id_is_number)"
                + " select count(*) from d");
    }

    /**
     * @param source where the row comes from: {@link #valuesSource()}, or a {@code select} of the
     *     same expressions (the atomic finish adds a condition)
     * @return the upsert of one job, returning what the history records, for use as a CTE
     */
    static String upsertCte(String source) {
        return upsertCte(source, Write.FENCED);
    }

    /** How an upsert treats the stored row. */
    enum Write {
        /** {@link dev.ergate.spi.WriteFence} applies; a stored CANCELLING survives a non-final state. */
        FENCED,
        /** No fence (the admin's retry and requeue); a stored CANCELLING survives a non-final state. */
        UNFENCED,
        /** No fence, nothing kept: {@link #replace}. */
        REPLACE
    }

    static String upsertCte(String source, Write write) {
        String status = write == Write.REPLACE ? "excluded.status"
                : "case when j.status = 'CANCELLING' and excluded.status not in "
                        + JobRows.FINAL_STATUSES + " then 'CANCELLING' else excluded.status end";
        String where = write == Write.FENCED
                ? "where " + JobRows.fenceAllows("excluded.status", "excluded.steps_completed", "excluded.extra_fields") + "\n"
                : "";
        return "insert into {jobs} as j (" + JobRows.COLUMNS + ", created_at, updated_at)\n"
                + source + "\n"
                + "on conflict (id, id_is_number) do update set\n"
                + "  workflow_name = excluded.workflow_name, step_name = excluded.step_name,\n"
                + "  status = " + status + ",\n"
                + "  steps_completed = excluded.steps_completed, percent_completed = excluded.percent_completed,\n"
                + "  initial_input_value = excluded.initial_input_value,\n"
                + "  last_return_value = excluded.last_return_value,\n"
                + "  exception_traceback = excluded.exception_traceback, user_context = excluded.user_context,\n"
                + "  requested_start_time = excluded.requested_start_time, extra_fields = excluded.extra_fields,\n"
                + "  version = j.version + 1, updated_at = excluded.updated_at,\n"
                + "  claimed_by = null, claim_expires_at = null\n"
                + where
                + "returning j.id, j.id_is_number, j.version, j.status, j.step_name, j.steps_completed,\n"
                + "  j.percent_completed, j.updated_at";
    }

    /** {@return the {@code values} clause of {@link #upsertCte} for a bound job} */
    static String valuesSource() {
        return "values (" + JobRows.VALUES + ", :now, :now)";
    }

    static String historyInsert(String from) {
        return "insert into {history} (job_id, job_id_is_number, version, status, step_name, steps_completed, "
                + "percent_completed, recorded_at) select id, id_is_number, version, status, step_name, "
                + "steps_completed, percent_completed, updated_at from " + from;
    }

    /**
     * Records the job's state: inserts it, or replaces every field of the stored row (keeping a
     * stored CANCELLING status when {@code job} is not final), and adds a history row.
     *
     * <p>A RUNNING state (what a worker writes just before it runs a step) is committed without
     * waiting for the disk ({@code synchronous_commit = off} for that transaction): a database
     * crash may lose it, and then the job is delivered again anyway because its lease was not
     * ended. Every other state is committed durably, and a durable commit also makes every
     * earlier one durable.
     *
     * @param job the job's new state; it must have an id
     * @throws IllegalArgumentException if the job has no id
     * @throws ErgateBackendException if PostgreSQL fails
     */
    @Override
    public void update(Job job) {
        Objects.requireNonNull(job, "job");
        requireId(job);
        long written;
        try {
            written = jdbi.withHandle(handle -> upsert(handle, job));
        } catch (RuntimeException e) {
            throw JdbcFailures.translate("update of job " + job.id(), e);
        }
        if (written == 0) {
            throw stale(job);
        }
    }

    /** {@return the refusal of a write the fence stopped, naming what is stored} */
    StaleStateException stale(Job refused) {
        Optional<Job> stored = find(Objects.requireNonNull(refused.id()));
        return new StaleStateException("PostgreSQL: " + stored.map(s -> WriteFence.describe(s, refused))
                .orElse("job " + refused.id() + ": refused a stale write"), null);
    }

    /** {@return 1 when written, 0 when the {@link WriteFence} refused it} */
    long upsert(Handle handle, Job job) {
        String sql = job.status() == JobStatus.RUNNING ? upsertRunningSql : upsertSql;
        return JobRows.bind(handle.createQuery(sql), job)
                .bind("now", JobRows.time(options.clock().instant()))
                .mapTo(Long.class)
                .one();
    }

    /** Writes the job with no fence, over a final or CANCELLING one too (a deliberate resubmit). */
    @Override
    public void replace(Job job) {
        Objects.requireNonNull(job, "job");
        requireId(job);
        try {
            jdbi.useHandle(handle -> JobRows.bind(handle.createQuery(replaceSql), job)
                    .bind("now", JobRows.time(options.clock().instant()))
                    .mapTo(Long.class)
                    .one());
        } catch (RuntimeException e) {
            throw JdbcFailures.translate("replace of job " + job.id(), e);
        }
    }

    /**
     * Records a new job under a unique key unless a job that is not final holds it, in one
     * statement (the unique index over non-final jobs' keys decides a race).
     *
     * @throws UnsupportedOperationException if {@code holdFor} is positive: PostgreSQL keeps a key
     *     only while its job is not final
     */
    @Override
    public Optional<JobId> recordUnique(Job job, String key, Duration holdFor) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(holdFor, "holdFor");
        requireId(job);
        if (key.isBlank()) {
            throw new IllegalArgumentException("unique key must not be blank");
        }
        if (holdFor.isNegative()) {
            throw new IllegalArgumentException("holdFor must not be negative, got " + holdFor);
        }
        if (!holdFor.isZero()) {
            throw new UnsupportedOperationException("unique key '" + key + "' with holdFor " + holdFor
                    + ": PostgreSQL keeps a unique key only while its job is not final");
        }
        for (int attempt = 1; attempt <= START_STEP_ATTEMPTS; attempt++) {
            UniqueOutcome outcome;
            try {
                outcome = jdbi.withHandle(handle -> JobRows.bind(handle.createQuery(uniqueSql), job)
                        .bind("now", JobRows.time(options.clock().instant()))
                        .bind("key", key)
                        .map((rs, ctx) -> {
                            String holder = rs.getString("holder_id");
                            JobId holderId = holder == null ? null : rs.getBoolean("holder_is_number")
                                    ? JobId.of(new java.math.BigInteger(holder)) : JobId.of(holder);
                            return new UniqueOutcome(rs.getLong("written") > 0, holderId);
                        })
                        .one());
            } catch (RuntimeException e) {
                throw JdbcFailures.translate("record of job " + job.id() + " under unique key '" + key + "'", e);
            }
            if (outcome.written()) {
                return Optional.empty();
            }
            if (outcome.holder() != null) {
                return Optional.of(outcome.holder());
            }
            if (find(Objects.requireNonNull(job.id())).isPresent()) {
                throw new ErgateBackendException("PostgreSQL: job " + job.id() + " can't be recorded under unique key '"
                        + key + "': a job with that id is already stored", null, false);
            }
            // another record took the key after this statement's snapshot: look again
        }
        throw new ErgateBackendException("PostgreSQL: record of job " + job.id() + " under unique key '" + key
                + "' kept racing with other records", null, true);
    }

    private record UniqueOutcome(boolean written, @Nullable JobId holder) {
    }

    /** Writes the job only if no job of its id is stored, in one statement. */
    @Override
    public boolean insert(Job job) {
        Objects.requireNonNull(job, "job");
        requireId(job);
        try {
            return jdbi.withHandle(handle -> JobRows.bind(handle.createQuery(insertSql), job)
                    .bind("now", JobRows.time(options.clock().instant()))
                    .mapTo(Long.class)
                    .one()) > 0;
        } catch (RuntimeException e) {
            throw JdbcFailures.translate("insert of job " + job.id(), e);
        }
    }

    /**
     * Writes the RUNNING state unless the stored job is CANCELLING or has ended, in one statement
     * (see {@link JobStore#startStep}), in plain JDBC ({@link StartStatement}). When a concurrent
     * writer changed the row after the statement's snapshot, the status that snapshot saw may not
     * be the one that stopped the write; the statement then runs again, with a fresh snapshot, to
     * find out.
     *
     * @throws IllegalArgumentException if {@code running} has no id
     * @throws ErgateBackendException if PostgreSQL fails, or (transient) if the row kept changing
     *     under {@value #START_STEP_ATTEMPTS} attempts in a row
     */
    @Override
    public StepStart startStep(Job running) {
        Objects.requireNonNull(running, "running");
        requireId(running);
        try {
            for (int attempt = 1; attempt <= START_STEP_ATTEMPTS; attempt++) {
                StepStart start = tryStartStep(running);
                if (start != null) {
                    return start;
                }
            }
        } catch (SQLException | RuntimeException e) {
            throw JdbcFailures.translate("start of a step of job " + running.id(), e);
        }
        throw new ErgateBackendException("PostgreSQL: start of a step of job " + running.id() + " failed: the job's "
                + "row changed under " + START_STEP_ATTEMPTS + " attempts in a row", null, true);
    }

    /** {@return what the start found, or {@code null} when a concurrent write hid it: try again} */
    private @Nullable StepStart tryStartStep(Job running) throws SQLException {
        StartStatement.Found found;
        try (Connection connection = backend.connections().getConnection()) {
            found = startStatement.run(connection, options.clock().instant(), running);
        }
        if (found.written()) {
            return StepStart.STARTED;
        }
        JobStatus stored = found.stored();
        StepStart seen;
        if (stored == null) {
            seen = StepStart.STARTED;
        } else if (stored.isFinal()) {
            seen = StepStart.over(stored);
        } else if (WriteFence.refuses(stored, found.storedSteps(), found.storedAttempt(), running.status(),
                running.stepsCompleted(), WriteFence.attemptOf(running))) {
            seen = StepStart.STALE;
        } else {
            seen = StepStart.over(stored);
        }
        // nothing written although the snapshot allowed it: the row changed since, so look again
        return seen == StepStart.STARTED ? null : seen;
    }

    @Override
    public Optional<Job> find(JobId id) {
        Objects.requireNonNull(id, "id");
        try {
            return jdbi.withHandle(handle -> JobRows.bindId(handle.createQuery(findSql), id)
                    .map((rs, ctx) -> JobRows.map(rs))
                    .findOne());
        } catch (RuntimeException e) {
            throw JdbcFailures.translate("find of job " + id, e);
        }
    }

    /**
     * Lists jobs in insertion order, by keyset on the jobs table's {@code seq} column.
     *
     * @throws IllegalArgumentException if the cursor is not one this store handed out
     */
    @Override
    public JobPage list(JobQuery query) {
        Objects.requireNonNull(query, "query");
        long after = query.cursor() == null ? 0 : decodeCursor(query.cursor());
        StringBuilder sql = new StringBuilder("select seq, ").append(JobRows.COLUMNS)
                .append(" from {jobs} where seq > :after");
        if (query.status() != null) {
            sql.append(" and status = :status");
            if (JobRows.LISTED_STATUSES.contains(query.status())) {
                sql.append(" and listed_status = :status"); // its partial index: see JdbcJobAdmin.listJobs
            }
        }
        if (query.workflowName() != null) {
            sql.append(" and workflow_name = :workflow");
        }
        sql.append(" order by seq limit :limit");
        String rendered = tables.render(sql.toString());
        try {
            List<Row> rows = jdbi.withHandle(handle -> {
                Query q = handle.createQuery(rendered)
                        .bind("after", after)
                        .bind("limit", query.pageSize() + 1);
                if (query.status() != null) {
                    q.bind("status", query.status().name());
                }
                if (query.workflowName() != null) {
                    q.bind("workflow", query.workflowName());
                }
                return q.map((rs, ctx) -> new Row(rs.getLong("seq"), JobRows.map(rs))).list();
            });
            boolean more = rows.size() > query.pageSize();
            List<Row> page = more ? rows.subList(0, query.pageSize()) : rows;
            List<Job> jobs = new ArrayList<>(page.size());
            page.forEach(row -> jobs.add(row.job()));
            String next = more ? encodeCursor(page.get(page.size() - 1).seq()) : null;
            return new JobPage(jobs, next);
        } catch (RuntimeException e) {
            throw JdbcFailures.translate("list of jobs (" + query.status() + ", " + query.workflowName() + ")", e);
        }
    }

    private record Row(long seq, Job job) {
    }

    @Override
    public boolean requestCancel(JobId id) {
        Objects.requireNonNull(id, "id");
        try {
            long count = jdbi.withHandle(handle -> JobRows.bindId(handle.createQuery(cancelSql), id)
                    .bind("now", JobRows.time(options.clock().instant()))
                    .mapTo(Long.class)
                    .one());
            return count > 0;
        } catch (RuntimeException e) {
            throw JdbcFailures.translate("cancel request of job " + id, e);
        }
    }

    /**
     * The path a job took: every recorded transition, oldest first. Empty when the job is unknown
     * or {@link JdbcOptions#recordHistory()} was off while it ran.
     *
     * @param id the job
     * @return its transitions
     * @throws ErgateBackendException if PostgreSQL fails
     */
    public List<JobTransition> history(JobId id) {
        Objects.requireNonNull(id, "id");
        try {
            return jdbi.withHandle(handle -> JobRows.bindId(handle.createQuery(historySql), id)
                    .map((rs, ctx) -> new JobTransition(
                            id,
                            rs.getLong("version"),
                            JobStatus.valueOf(rs.getString("status")),
                            rs.getString("step_name"),
                            rs.getInt("steps_completed"),
                            rs.getDouble("percent_completed"),
                            Objects.requireNonNull(JobRows.instant(rs, "recorded_at"))))
                    .list());
        } catch (RuntimeException e) {
            throw JdbcFailures.translate("history of job " + id, e);
        }
    }

    /**
     * Retention cleanup: deletes jobs in a final status (COMPLETED, FAILED, ABORTED, CANCELLED)
     * last updated before {@code cutoff}, with their history, in batches of {@value
     * #RETENTION_BATCH} so no transaction holds many locks. Safe to run from several places at
     * once (rows another cleanup holds are skipped).
     *
     * @param cutoff delete final jobs last written before this time
     * @return how many jobs were deleted
     * @throws ErgateBackendException if PostgreSQL fails
     */
    public long deleteFinalJobsBefore(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        long total = 0;
        try {
            while (true) {
                long deleted = jdbi.inTransaction(handle -> handle.createQuery(retentionSql)
                        .bind("cutoff", JobRows.time(cutoff))
                        .mapTo(Long.class)
                        .one());
                total += deleted;
                if (deleted < RETENTION_BATCH) {
                    return total;
                }
            }
        } catch (RuntimeException e) {
            throw JdbcFailures.translate("retention cleanup of jobs final before " + cutoff, e);
        }
    }

    /** {@return the backend this store belongs to} */
    JdbcBackend backend() {
        return backend;
    }

    private static void requireId(Job job) {
        if (job.id() == null) {
            throw new IllegalArgumentException("job of workflow '" + job.workflowName()
                    + "' has no id: the runtime assigns one before the first update");
        }
    }

    private static String encodeCursor(long seq) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_PREFIX + seq).getBytes(StandardCharsets.UTF_8));
    }

    private static long decodeCursor(@Nullable String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(Objects.requireNonNull(cursor)),
                    StandardCharsets.UTF_8);
            if (text.startsWith(CURSOR_PREFIX)) {
                long seq = Long.parseLong(text.substring(CURSOR_PREFIX.length()));
                if (seq >= 0) {
                    return seq;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below (NumberFormatException is one too)
        }
        throw new IllegalArgumentException("cursor '" + cursor + "' is not one this store handed out");
    }

    @Override
    public String toString() {
        return "JdbcJobStore[" + tables + "]";
    }
}
