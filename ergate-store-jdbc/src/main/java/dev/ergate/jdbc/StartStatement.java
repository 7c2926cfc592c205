package dev.ergate.jdbc;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@link JdbcJobStore#startStep} as one statement, so one round trip and one snapshot: update the
 * stored row unless its status forbids a start (PostgreSQL re-checks that condition on the newest
 * row version when a concurrent writer got there first), or insert the job if it has no row;
 * record the history of what was written; and return whether it was written and the status the
 * statement's snapshot saw. Committed without waiting for the disk, as every RUNNING write: a
 * database crash can only lose it, and then the lease was lost too.
 *
 * <p>Plain JDBC with every value bound once, in a one-row {@code v} relation, so the planner
 * always finds the row by its primary key. Immutable and thread-safe.
 */
final class StartStatement {

    private static final String RETURNING = " returning j.id, j.id_is_number, j.version, j.status, j.step_name, "
            + "j.steps_completed, j.percent_completed, j.updated_at";

    private final String sql;

    StartStatement(Tables tables, boolean recordHistory) {
        String match = "j.id = v.id and j.id_is_number = v.id_is_number";
        this.sql = tables.render("with cfg as (select set_config('synchronous_commit', 'off', true) as c), "
                + "v as (select cast(? as timestamptz) as now, cast(? as text) as id, cast(? as boolean) as id_is_number, "
                + "cast(? as text) as workflow_name, cast(? as text) as step_name, cast(? as text) as status, "
                + "cast(? as integer) as steps_completed, cast(? as float8) as percent_completed, "
                + "cast(? as text) as initial_input_value, cast(? as text) as last_return_value, "
                + "cast(? as text) as exception_traceback, cast(? as text) as user_context, "
                + "cast(? as timestamptz) as requested_start_time, cast(? as text) as extra_fields), "
                + "cur as (select j.status, j.steps_completed, " + JobRows.attemptSql("j.extra_fields")
                + " as attempt from {jobs} j, v where " + match + "), "
                + "u as (update {jobs} as j set workflow_name = v.workflow_name, step_name = v.step_name, "
                + "status = v.status, steps_completed = v.steps_completed, percent_completed = v.percent_completed, "
                + "initial_input_value = cast(v.initial_input_value as jsonb), "
                + "last_return_value = cast(v.last_return_value as jsonb), exception_traceback = v.exception_traceback, "
                + "user_context = cast(v.user_context as jsonb), requested_start_time = v.requested_start_time, "
                + "extra_fields = cast(v.extra_fields as jsonb), version = j.version + 1, updated_at = v.now, "
                + "claimed_by = null, claim_expires_at = null from v "
                + "where " + match + " and j.status not in " + JobRows.NO_START_STATUSES + " and "
                + JobRows.fenceAllows("v.status", "v.steps_completed", "cast(v.extra_fields as jsonb)") + RETURNING + "), "
                // a row inserted since the snapshot is a conflict: nothing written, and the caller looks again
                + "i as (insert into {jobs} as j (" + JobRows.COLUMNS + ", created_at, updated_at) "
                + "select " + JobArrays.asStored("v") + ", v.now, v.now from v where not exists (select 1 from cur) "
                + "on conflict (id, id_is_number) do nothing" + RETURNING + "), "
                + "w as (select * from u union all select * from i)"
                + (recordHistory ? ", h as (" + JdbcJobStore.historyInsert("w") + ")" : "")
                + " select (select count(*) from w) as written, (select status from cur) as stored, "
                + "(select steps_completed from cur) as stored_steps, (select attempt from cur) as stored_attempt from cfg");
    }

    /**
     * What the statement found.
     *
     * @param written whether the RUNNING state was written
     * @param stored the status the statement's snapshot saw, or {@code null} if it saw no row
     * @param storedSteps the steps completed it saw
     * @param storedAttempt the attempt it saw
     */
    record Found(boolean written, @Nullable JobStatus stored, int storedSteps, int storedAttempt) {
    }

    /**
     * Runs the start on {@code connection}, in auto-commit mode.
     *
     * @param running the RUNNING state, with an id
     * @throws SQLException if PostgreSQL fails; then nothing was written
     */
    Found run(Connection connection, Instant now, Job running) throws SQLException {
        JobId id = Objects.requireNonNull(running.id(), "running.id");
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            int p = 1;
            st.setTimestamp(p++, JobArrays.timestamp(now));
            st.setString(p++, id.value());
            st.setBoolean(p++, id.isNumeric());
            st.setString(p++, running.workflowName());
            st.setString(p++, running.stepName());
            st.setString(p++, running.status().name());
            st.setInt(p++, running.stepsCompleted());
            st.setDouble(p++, running.percentCompleted());
            st.setString(p++, JobRows.json(running.initialInputValue()));
            st.setString(p++, JobRows.json(running.lastReturnValue()));
            st.setString(p++, NulEscapes.escapeText(running.exceptionTraceback()));
            st.setString(p++, JobRows.json(running.userContext()));
            st.setTimestamp(p++, JobArrays.timestamp(running.requestedStartTime()));
            st.setString(p, JobRows.extraFields(running));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                String stored = rs.getString(2);
                return new Found(rs.getLong(1) > 0, stored == null ? null : JobStatus.valueOf(stored), rs.getInt(3),
                        rs.getInt(4));
            }
        }
    }
}
