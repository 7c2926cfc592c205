package dev.ergate.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link Job} maps to a row of the jobs table: binding its fields as parameters and
 * reading them back. JSON values travel as text and are cast to {@code jsonb} in SQL; a JSON
 * null is stored as SQL NULL. Stateless and thread-safe.
 */
final class JobRows {

    /** The job columns, in the order {@link #map} reads them (qualify with an alias if needed). */
    static final String COLUMNS = "id, id_is_number, workflow_name, step_name, status, steps_completed, "
            + "percent_completed, initial_input_value, last_return_value, exception_traceback, user_context, "
            + "requested_start_time, extra_fields";

    /** {@return {@link #COLUMNS}, each qualified with {@code alias.}} */
    static String columns(String alias) {
        StringBuilder out = new StringBuilder();
        for (String column : COLUMNS.split(",\\s*")) {
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(alias).append('.').append(column);
        }
        return out.toString();
    }

    /** The values matching {@link #COLUMNS}, as named parameters. */
    static final String VALUES = ":id, :id_is_number, :workflow_name, :step_name, :status, :steps_completed, "
            + ":percent_completed, cast(:initial_input_value as jsonb), cast(:last_return_value as jsonb), "
            + ":exception_traceback, cast(:user_context as jsonb), :requested_start_time, "
            + "cast(:extra_fields as jsonb)";

    /** The statuses in which a job never runs again, as a SQL list. */
    static final String FINAL_STATUSES = "('COMPLETED', 'FAILED', 'ABORTED', 'CANCELLED')";

    /**
     * The statuses the generated column {@code listed_status} holds (schema version 7), so an
     * index can find them: all but the three the step path moves a job between (QUEUED, RUNNING,
     * COMPLETED), which no index names, so that those writes are HOT updates.
     */
    static final java.util.Set<JobStatus> LISTED_STATUSES = java.util.Collections.unmodifiableSet(
            java.util.EnumSet.complementOf(java.util.EnumSet.of(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.COMPLETED)));

    /** The statuses over which a step may not start (a cancel request, or a final status), as a SQL list. */
    static final String NO_START_STATUSES = "('CANCELLING', 'COMPLETED', 'FAILED', 'ABORTED', 'CANCELLED')";

    /**
     * {@return SQL for the fence rank of a status ({@link dev.ergate.spi.WriteFence#rank})}
     *
     * @param status a SQL expression of a status
     */
    static String rankSql(String status) {
        return "(case " + status + " when 'SCHEDULED' then 0 when 'PENDING' then 0 when 'QUEUED' then 1 "
                + "when 'RUNNING' then 2 when 'CANCELLING' then 2 else 3 end)";
    }

    /**
     * {@return SQL for a stored job's attempt ({@link dev.ergate.spi.WriteFence#attemptOf}): the
     * extra field {@code ergate_attempt} when it is a whole number from 1, else 1}
     *
     * @param extra a SQL expression of the {@code extra_fields} JSONB
     */
    static String attemptSql(String extra) {
        String text = "(" + extra + " ->> '" + dev.ergate.RuntimeFields.ATTEMPT + "')";
        return "(case when jsonb_typeof(" + extra + " -> '" + dev.ergate.RuntimeFields.ATTEMPT + "') = 'number' and "
                + text + " ~ '^[0-9]{1,9}$' and cast(" + text + " as integer) >= 1 then cast(" + text
                + " as integer) else 1 end)";
    }

    /**
     * {@return the SQL condition under which {@link dev.ergate.spi.WriteFence} lets a write over
     * the stored row {@code j} through}
     *
     * @param status the written status (SQL)
     * @param steps the written steps completed (SQL)
     * @param extra the written extra fields as JSONB (SQL)
     */
    static String fenceAllows(String status, String steps, String extra) {
        String attempt = attemptSql(extra);
        String storedAttempt = attemptSql("j.extra_fields");
        String rank = rankSql(status);
        String storedRank = rankSql("j.status");
        return "not ((j.status in " + FINAL_STATUSES + " and " + status + " not in " + FINAL_STATUSES + ") "
                + "or (" + steps + ", " + attempt + ") < (j.steps_completed, " + storedAttempt + ") "
                + "or ((" + steps + ", " + attempt + ") = (j.steps_completed, " + storedAttempt + ") and ("
                + rank + " < " + storedRank + " or (" + rank + " = " + storedRank + " and " + rank + " <> 2))))";
    }

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private JobRows() {
    }

    /** Binds the {@code :id} and {@code :id_is_number} parameters. */
    static <S extends SqlStatement<S>> S bindId(S statement, JobId id) {
        return statement.bind("id", id.value()).bind("id_is_number", id.isNumeric());
    }

    /** Binds every parameter of {@link #VALUES}; the job must have an id. */
    static <S extends SqlStatement<S>> S bind(S statement, Job job) {
        JobId id = job.id();
        if (id == null) {
            throw new IllegalArgumentException("a job needs an id to be stored: " + job);
        }
        bindId(statement, id);
        statement.bind("workflow_name", job.workflowName())
                .bind("step_name", job.stepName())
                .bind("status", job.status().name())
                .bind("steps_completed", job.stepsCompleted())
                .bind("percent_completed", job.percentCompleted())
                .bind("initial_input_value", json(job.initialInputValue()))
                .bind("last_return_value", json(job.lastReturnValue()))
                .bind("exception_traceback", NulEscapes.escapeText(job.exceptionTraceback()))
                .bind("user_context", json(job.userContext()))
                .bind("requested_start_time", time(job.requestedStartTime()));
        statement.bind("extra_fields", extraFields(job));
        return statement;
    }

    /** {@return the job's extra fields as one JSON object's text, or {@code null} when it has none} */
    static @Nullable String extraFields(Job job) {
        if (job.extraFields().isEmpty()) {
            return null;
        }
        ObjectNode extra = MAPPER.createObjectNode();
        job.extraFields().forEach(extra::set);
        return json(extra);
    }

    /** Reads a job from the current row, which holds {@link #COLUMNS}. */
    static Job map(ResultSet rs) throws SQLException {
        String idText = rs.getString("id");
        JobId id = rs.getBoolean("id_is_number") ? JobId.of(new BigInteger(idText)) : JobId.of(idText);
        Job.Builder b = Job.builder()
                .id(id)
                .workflowName(rs.getString("workflow_name"))
                .stepName(rs.getString("step_name"))
                .status(JobStatus.valueOf(rs.getString("status")))
                .stepsCompleted(rs.getInt("steps_completed"))
                .percentCompleted(rs.getDouble("percent_completed"))
                .initialInputValue(parse(rs.getString("initial_input_value")))
                .lastReturnValue(parse(rs.getString("last_return_value")))
                .exceptionTraceback(NulEscapes.unescapeText(rs.getString("exception_traceback")))
                .userContext(parse(rs.getString("user_context")))
                .requestedStartTime(instant(rs, "requested_start_time"));
        JsonNode extra = parse(rs.getString("extra_fields"));
        if (extra != null && extra.isObject()) {
            for (Map.Entry<String, JsonNode> field : extra.properties()) {
                b.extraField(field.getKey(), field.getValue());
            }
        }
        return b.build();
    }

    /**
     * {@return the value as JSON text to store, or {@code null} for a JSON null (stored as SQL
     * NULL); a value holding U+0000 in a string is {@linkplain NulEscapes escaped}}
     */
    static @Nullable String json(JsonNode value) {
        if (value.isNull() || value.isMissingNode()) {
            return null;
        }
        try {
            return NulEscapes.escapeJson(MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("JSON value can't be written: " + e.getOriginalMessage(), e);
        }
    }

    static @Nullable JsonNode parse(@Nullable String text) {
        if (text == null) {
            return null;
        }
        try {
            JsonNode stored = MAPPER.readTree(text);
            String escaped = NulEscapes.escapedJson(stored);
            return escaped == null ? stored : MAPPER.readTree(escaped);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("PostgreSQL returned JSON that can't be read: " + e.getOriginalMessage(), e);
        }
    }

    static @Nullable OffsetDateTime time(@Nullable Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
