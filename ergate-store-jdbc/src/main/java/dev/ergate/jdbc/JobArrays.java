package dev.ergate.jdbc;

import dev.ergate.Job;
import dev.ergate.JobId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Many jobs' fields as one array per column, to write them all in one statement: bound as
 * parameters, {@code unnest} turns them back into rows with the columns of {@link JobRows#COLUMNS}
 * (JSON values still as text, cast to {@code jsonb} where they are stored).
 *
 * <p>Not thread-safe: built and bound by one thread.
 */
final class JobArrays {

    /** The arguments of {@code unnest} for the arrays {@link #bind} binds, in that order. */
    static final String UNNEST_ARGUMENTS = "cast(? as text[]), cast(? as boolean[]), cast(? as text[]), "
            + "cast(? as text[]), cast(? as text[]), cast(? as integer[]), cast(? as float8[]), cast(? as text[]), "
            + "cast(? as text[]), cast(? as text[]), cast(? as text[]), cast(? as timestamptz[]), cast(? as text[])";

    /** The names of the columns {@code unnest} makes of them, as {@link JobRows#COLUMNS}. */
    static final String UNNEST_COLUMNS = JobRows.COLUMNS;

    /**
     * @param alias the relation holding the unnested columns
     * @return the select list that turns them into the jobs table's columns ({@link JobRows#COLUMNS})
     */
    static String asStored(String alias) {
        String a = alias + ".";
        return a + "id, " + a + "id_is_number, " + a + "workflow_name, " + a + "step_name, " + a + "status, "
                + a + "steps_completed, " + a + "percent_completed, cast(" + a + "initial_input_value as jsonb), "
                + "cast(" + a + "last_return_value as jsonb), " + a + "exception_traceback, cast(" + a
                + "user_context as jsonb), " + a + "requested_start_time, cast(" + a + "extra_fields as jsonb)";
    }

    private final String[] ids;
    private final Boolean[] idIsNumber;
    private final String[] workflows;
    private final @Nullable String[] steps;
    private final String[] statuses;
    private final Integer[] stepsCompleted;
    private final Double[] percents;
    private final @Nullable String[] initialInputs;
    private final @Nullable String[] lastReturns;
    private final @Nullable String[] tracebacks;
    private final @Nullable String[] userContexts;
    private final @Nullable Timestamp[] startTimes;
    private final @Nullable String[] extras;

    /** @param jobs the jobs, each with an id */
    JobArrays(List<Job> jobs) {
        int n = jobs.size();
        ids = new String[n];
        idIsNumber = new Boolean[n];
        workflows = new String[n];
        steps = new String[n];
        statuses = new String[n];
        stepsCompleted = new Integer[n];
        percents = new Double[n];
        initialInputs = new String[n];
        lastReturns = new String[n];
        tracebacks = new String[n];
        userContexts = new String[n];
        startTimes = new Timestamp[n];
        extras = new String[n];
        for (int i = 0; i < n; i++) {
            Job job = jobs.get(i);
            JobId id = job.id();
            if (id == null) {
                throw new IllegalArgumentException("a job needs an id to be stored: " + job);
            }
            ids[i] = id.value();
            idIsNumber[i] = id.isNumeric();
            workflows[i] = job.workflowName();
            steps[i] = job.stepName();
            statuses[i] = job.status().name();
            stepsCompleted[i] = job.stepsCompleted();
            percents[i] = job.percentCompleted();
            initialInputs[i] = JobRows.json(job.initialInputValue());
            lastReturns[i] = JobRows.json(job.lastReturnValue());
            tracebacks[i] = NulEscapes.escapeText(job.exceptionTraceback());
            userContexts[i] = JobRows.json(job.userContext());
            startTimes[i] = timestamp(job.requestedStartTime());
            extras[i] = JobRows.extraFields(job);
        }
    }

    /**
     * Binds the arrays as parameters {@code first}, {@code first + 1}, ... of {@code statement}.
     *
     * @return the index of the next parameter
     */
    int bind(Connection connection, PreparedStatement statement, int first) throws SQLException {
        int p = first;
        statement.setArray(p++, connection.createArrayOf("text", ids));
        statement.setArray(p++, connection.createArrayOf("bool", idIsNumber));
        statement.setArray(p++, connection.createArrayOf("text", workflows));
        statement.setArray(p++, connection.createArrayOf("text", steps));
        statement.setArray(p++, connection.createArrayOf("text", statuses));
        statement.setArray(p++, connection.createArrayOf("int4", stepsCompleted));
        statement.setArray(p++, connection.createArrayOf("float8", percents));
        statement.setArray(p++, connection.createArrayOf("text", initialInputs));
        statement.setArray(p++, connection.createArrayOf("text", lastReturns));
        statement.setArray(p++, connection.createArrayOf("text", tracebacks));
        statement.setArray(p++, connection.createArrayOf("text", userContexts));
        statement.setArray(p++, connection.createArrayOf("timestamptz", startTimes));
        statement.setArray(p++, connection.createArrayOf("text", extras));
        return p;
    }

    static @Nullable Timestamp timestamp(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
