package dev.ergate.jdbc;

import dev.ergate.JobId;
import dev.ergate.JobStatus;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One recorded change of a job's state, from the history table: {@link JdbcJobStore#history}
 * lists them oldest first, so you can see the path a job took.
 *
 * @param jobId the job
 * @param version the job's row version after this change (1 for the first write)
 * @param status the status it changed to
 * @param stepName its step name then
 * @param stepsCompleted its steps completed then
 * @param percentCompleted its progress then
 * @param recordedAt when the change was written (the writer's clock)
 */
public record JobTransition(
        JobId jobId,
        long version,
        JobStatus status,
        @Nullable String stepName,
        int stepsCompleted,
        double percentCompleted,
        Instant recordedAt) {
}
