package dev.ergate.jdbc;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Any number of {@link JdbcJobStore#startStep step starts} as one statement, so one round trip and
 * one snapshot: for each job, update the stored row unless its status forbids a start (PostgreSQL
 * re-checks that condition on the newest row version when a concurrent writer got there first), or
 * insert the job if it has no row; record the history of what was written; and report, per job,
 * whether it was written and the status the statement's snapshot saw. Committed without waiting for
 * the disk, as every RUNNING write: a database crash can only lose it, and then the lease was lost
 * too.
 *
 * <p>The jobs of one statement must be distinct. Immutable and thread-safe.
 */
final class StartStatement {

    private static final String RETURNING = " returning j.id, j.id_is_number, j.version, j.status, j.step_name, "
            + "j.steps_completed, j.percent_completed, j.updated_at";

    private final String sql;

    StartStatement(Tables tables, boolean recordHistory) {
        String match = "j.id = r.id and j.id_is_number = r.id_is_number";
        this.sql = tables.render("with cfg as (select set_config('synchronous_commit', 'off', true) as v), "
                + "p as (select cast(? as timestamptz) as now), "
                + "r as (select * from unnest(" + JobArrays.UNNEST_ARGUMENTS + ") as r(" + JobArrays.UNNEST_COLUMNS + ")), "
                + "cur as (select j.id, j.id_is_number, j.status from {jobs} j join r on " + match + "), "
                + "u as (update {jobs} as j set workflow_name = r.workflow_name, step_name = r.step_name, "
                + "status = r.status, steps_completed = r.steps_completed, percent_completed = r.percent_completed, "
                + "initial_input_value = cast(r.initial_input_value as jsonb), "
                + "last_return_value = cast(r.last_return_value as jsonb), exception_traceback = r.exception_traceback, "
                + "user_context = cast(r.user_context as jsonb), requested_start_time = r.requested_start_time, "
                + "extra_fields = cast(r.extra_fields as jsonb), version = j.version + 1, updated_at = p.now, "
                + "claimed_by = null, claim_expires_at = null from r cross join p "
                + "where " + match + " and j.status not in " + JobRows.NO_START_STATUSES + RETURNING + "), "
                // a row inserted since the snapshot is a conflict: nothing written, and the caller looks again
                + "i as (insert into {jobs} as j (" + JobRows.COLUMNS + ", created_at, updated_at) "
                + "select " + JobArrays.asStored("r") + ", p.now, p.now from r cross join p "
                + "where not exists (select 1 from cur j where " + match + ") "
                + "on conflict (id, id_is_number) do nothing" + RETURNING + "), "
                + "w as (select * from u union all select * from i)"
                + (recordHistory ? ", h as (" + JdbcJobStore.historyInsert("w") + ")" : "")
                + " select r.id, r.id_is_number, exists (select 1 from w j where " + match + ") as written, "
                + "(select j.status from cur j where " + match + ") as stored from r cross join cfg");
    }

    /** What the statement found for one job. */
    record Found(boolean written, @Nullable JobStatus stored) {
    }

    /** A job's key as the jobs table has it. */
    record Key(String id, boolean idIsNumber) {
        static Key of(JobId id) {
            return new Key(id.value(), id.isNumeric());
        }
    }

    /**
     * Runs the starts in one statement on {@code connection}, in auto-commit mode.
     *
     * @param starts the RUNNING states of distinct jobs, at least one
     * @return what was found for each job
     * @throws SQLException if PostgreSQL fails; then nothing was written
     */
    Map<Key, Found> run(Connection connection, Instant now, List<Job> starts) throws SQLException {
        JobArrays jobs = new JobArrays(starts);
        Map<Key, Found> found = new HashMap<>(starts.size() * 2);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setTimestamp(1, JobArrays.timestamp(now));
            jobs.bind(connection, statement, 2);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String stored = rs.getString(4);
                    found.put(new Key(rs.getString(1), rs.getBoolean(2)), new Found(rs.getBoolean(3), stored == null ? null : JobStatus.valueOf(stored)));
                }
            }
        }
        return found;
    }

    /** @return the jobs of {@code writes}, in order */
    static List<Job> jobsOf(List<StepStartWrite> writes) {
        List<Job> jobs = new ArrayList<>(writes.size());
        writes.forEach(write -> jobs.add(write.running()));
        return jobs;
    }
}
