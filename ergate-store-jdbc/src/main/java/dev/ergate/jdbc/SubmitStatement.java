package dev.ergate.jdbc;

import dev.ergate.Job;
import dev.ergate.JobId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An atomic submit of any number of new jobs as one SQL statement, so one round trip: each job's
 * state is upserted under the {@link dev.ergate.spi.WriteFence} (with its history row), and for
 * each state written its queue row is inserted, recording the version written (schema version
 * 6), so the claim can start its first step ({@link JdbcJobQueue#startOnTake}). The values
 * travel in arrays, one element per job, that {@code unnest} turns back into rows. It returns
 * the ids written; a job the fence refused wrote nothing, and the caller rolls the rest back.
 *
 * <p>The jobs of one statement must have distinct ids (PostgreSQL can't upsert one row twice in a
 * statement). Immutable and thread-safe.
 */
final class SubmitStatement {

    private static final String INPUT = "unnest(" + JobArrays.UNNEST_ARGUMENTS
            + ", cast(? as bytea[]), cast(? as timestamptz[]), cast(? as integer[])) as r("
            + JobArrays.UNNEST_COLUMNS + ", payload, start_at, priority)";

    private final String sql;

    /**
     * @param store where the states go (its tables and history setting)
     * @param queue the tables of the queue the jobs go to
     */
    SubmitStatement(JdbcJobStore store, Tables queue) {
        Tables jobs = store.backend().tables();
        boolean sameJobs = jobs.jobs().equals(queue.jobs());
        StringBuilder sql = new StringBuilder("with p as (select cast(? as timestamptz) as now, cast(? as text) as queue), ")
                .append("r as (select * from ").append(INPUT).append("), ")
                .append("up as (").append(jobs.render(JdbcJobStore.upsertCte("select " + JobArrays.asStored("r")
                        + ", p.now, p.now from r cross join p"))).append(")");
        if (store.backend().options().recordHistory()) {
            sql.append(", h as (").append(jobs.render(JdbcJobStore.historyInsert("up"))).append(")");
        }
        sql.append(", q as (").append(queue.render("insert into {queue} (queue_name, job_id, payload, visible_at, "
                + "enqueued_at, priority, job_id_is_number, job_version) select p.queue, r.id, r.payload, "
                + "greatest(r.start_at, now()), now(), r.priority, "
                + (sameJobs ? "up.id_is_number, up.version " : "null, null ")
                + "from up join r on r.id = up.id and r.id_is_number = up.id_is_number cross join p")).append(")");
        this.sql = sql.append(" select up.id, up.id_is_number from up").toString();
    }

    /** {@return the id as {@link #run} names a written job} */
    static String key(JobId id) {
        return (id.isNumeric() ? "n:" : "s:") + id.value();
    }

    /** {@return true when no two jobs share an id: one statement can take them} */
    static boolean distinct(List<Job> jobs) {
        Set<JobId> ids = new HashSet<>();
        for (Job job : jobs) {
            if (!ids.add(job.id())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs the submit in one statement on {@code connection}, in whatever transaction it is in.
     *
     * @param jobs jobs with distinct ids
     * @param payloads their encoded JSON, in the same order
     * @return the {@linkplain #key keys} of the jobs whose states were written (the fence refused the rest)
     * @throws SQLException if PostgreSQL fails
     */
    Set<String> run(Connection connection, String queueName, Instant now, List<Job> jobs, List<byte[]> payloads)
            throws SQLException {
        int n = jobs.size();
        byte[][] bodies = new byte[n][];
        Timestamp[] startAts = new Timestamp[n];
        Integer[] priorities = new Integer[n];
        for (int i = 0; i < n; i++) {
            Job job = jobs.get(i);
            bodies[i] = payloads.get(i);
            startAts[i] = JobArrays.timestamp(job.requestedStartTime());
            priorities[i] = job.priority();
        }
        JobArrays arrays = new JobArrays(jobs);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int p = 1;
            statement.setTimestamp(p++, JobArrays.timestamp(now));
            statement.setString(p++, queueName);
            p = arrays.bind(connection, statement, p);
            statement.setArray(p++, connection.createArrayOf("bytea", bodies));
            statement.setArray(p++, connection.createArrayOf("timestamptz", startAts));
            statement.setArray(p, connection.createArrayOf("int4", priorities));
            Set<String> written = new HashSet<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    written.add((rs.getBoolean(2) ? "n:" : "s:") + rs.getString(1));
                }
            }
            return written;
        }
    }
}
