package dev.ergate.jdbc;

import dev.ergate.Job;
import dev.ergate.JobId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Any number of atomic step finishes as one SQL statement, so one round trip and one commit (one
 * disk flush) for all of them. Each finish's values travel in arrays, one element per finish,
 * that {@code unnest} turns back into rows. The statement deletes every leased message whose
 * lease token still matches, and only for those it upserts the job's state (plus its history
 * row) and inserts the next step's message; it returns the ids of the messages it deleted. A
 * finish whose lease was lost thus writes nothing, and the others are not disturbed by it.
 *
 * <p>The finishes of one statement must be for distinct jobs: PostgreSQL can't upsert one row
 * twice in a statement. Immutable and thread-safe.
 */
final class FinishStatement {

    /** The input columns, in the order of the arrays bound. */
    private static final String INPUT = "unnest(cast(? as bigint[]), cast(? as uuid[]), " + JobArrays.UNNEST_ARGUMENTS
            + ", cast(? as text[]), cast(? as bytea[]), cast(? as timestamptz[]), cast(? as integer[]), cast(? as boolean[])) "
            + "as r(message_id, token, " + JobArrays.UNNEST_COLUMNS + ", next_job_id, payload, start_at, priority, carries)";

    private final String sql;

    /**
     * @param store where the states go (its tables and history setting)
     * @param source the tables of the queue the deliveries came from
     * @param target the tables of the queue the next steps go to
     */
    FinishStatement(JdbcJobStore store, Tables source, Tables target) {
        Tables jobs = store.backend().tables();
        StringBuilder sql = new StringBuilder("with p as (select cast(? as timestamptz) as now, cast(? as text) as queue), ")
                .append("r as (select * from ").append(INPUT).append("), ")
                .append("ack as (").append(source.render("delete from {queue} q using r where q.id = r.message_id "
                        + "and q.lease_token = r.token returning r.*")).append("), ")
                .append("up as (").append(jobs.render(JdbcJobStore.upsertCte("select " + JobArrays.asStored("ack")
                        + ", p.now, p.now from ack cross join p"))).append(")");
        if (store.backend().options().recordHistory()) {
            sql.append(", h as (").append(jobs.render(JdbcJobStore.historyInsert("up"))).append(")");
        }
        // only the finishes whose state the fence let through put their next step
        sql.append(", w as (select ack.*, up.version as stored_version from ack join up on up.id = ack.id "
                + "and up.id_is_number = ack.id_is_number)");
        // a next step that is the state just written (the runtime's) records that state's version,
        // so the claim can start its step in the same statement (JdbcJobQueue.startOnTake)
        boolean sameJobs = jobs.jobs().equals(target.jobs());
        sql.append(", nx as (").append(target.render("insert into {queue} (queue_name, job_id, payload, visible_at, "
                + "enqueued_at, priority, job_id_is_number, job_version) select p.queue, w.next_job_id, w.payload, "
                + "greatest(w.start_at, now()), now(), w.priority, "
                + (sameJobs ? "case when w.carries then w.id_is_number end, case when w.carries then w.stored_version end "
                        : "null, null ")
                + "from w cross join p where w.payload is not null")).append(")");
        this.sql = sql.append(" select ack.message_id, exists (select 1 from w where w.message_id = ack.message_id) "
                + "as written from ack").toString();
    }

    /**
     * Runs the finishes in one statement on {@code connection}, which is in auto-commit mode, so
     * the statement is its own transaction and has committed when this returns.
     *
     * @param connection where to run it
     * @param queueName the queue the next steps go to
     * @param now the time written as the states' update time (leases and due times use the database's clock)
     * @param finishes distinct jobs' finishes, at least one
     * @param timeout the longest the statement may run (whole seconds, at least 1)
     * @return the ids of the messages whose lease still held (those were acked), each with whether
     *     its state was written (false: the {@link dev.ergate.spi.WriteFence} refused it, and its
     *     next step was not put)
     * @throws SQLException if PostgreSQL fails; then nothing was written
     */
    Map<Long, Boolean> run(Connection connection, String queueName, Instant now, List<StepFinish> finishes,
            Duration timeout) throws SQLException {
        int n = finishes.size();
        Long[] messageIds = new Long[n];
        UUID[] tokens = new UUID[n];
        List<Job> states = new ArrayList<>(n);
        String[] nextJobIds = new String[n];
        byte[][] payloads = new byte[n][];
        Timestamp[] startAts = new Timestamp[n];
        Integer[] priorities = new Integer[n];
        Boolean[] carries = new Boolean[n];
        for (int i = 0; i < n; i++) {
            StepFinish finish = finishes.get(i);
            messageIds[i] = finish.delivery().messageId();
            tokens[i] = finish.delivery().token();
            states.add(finish.state());
            Job next = finish.next();
            JobId nextId = next == null ? null : next.id();
            nextJobIds[i] = nextId == null ? null : nextId.value();
            payloads[i] = finish.payload();
            // the database's clock decides when it is due: greatest(start_at, now()) in the statement
            startAts[i] = next == null ? null : JobArrays.timestamp(next.requestedStartTime());
            priorities[i] = next == null ? 0 : next.priority();
            carries[i] = next != null && (next == finish.state() || next.equals(finish.state()));
        }
        JobArrays jobs = new JobArrays(states);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            // PostgreSQL cancels it after this long, lock waits included: a batch never waits
            // for long on one job's row
            statement.setQueryTimeout((int) Math.max(1, (timeout.toMillis() + 999) / 1000));
            int p = 1;
            statement.setTimestamp(p++, JobArrays.timestamp(now));
            statement.setString(p++, queueName);
            statement.setArray(p++, connection.createArrayOf("int8", messageIds));
            statement.setArray(p++, connection.createArrayOf("uuid", tokens));
            p = jobs.bind(connection, statement, p);
            statement.setArray(p++, connection.createArrayOf("text", nextJobIds));
            statement.setArray(p++, connection.createArrayOf("bytea", payloads));
            statement.setArray(p++, connection.createArrayOf("timestamptz", startAts));
            statement.setArray(p++, connection.createArrayOf("int4", priorities));
            statement.setArray(p, connection.createArrayOf("bool", carries));
            Map<Long, Boolean> acked = new HashMap<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    acked.put(rs.getLong(1), rs.getBoolean(2));
                }
            }
            return acked;
        }
    }
}
