package dev.ergate.spi;

import dev.ergate.JobStatus;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One recorded transition of a job, from {@link JobAdmin#history}.
 *
 * @param at when it was recorded
 * @param status the status it moved to
 * @param stepName the step running (RUNNING) or {@code null}
 * @param stepsCompleted steps completed then
 * @param percentCompleted percent completed then
 */
public record JobEvent(Instant at, JobStatus status, @Nullable String stepName, int stepsCompleted,
        double percentCompleted) {

    /** Checks that the required components are present. */
    public JobEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(status, "status");
    }
}
