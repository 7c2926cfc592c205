package dev.ergate.spi;

import dev.ergate.Job;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A job as a {@link JobAdmin} found it in the store.
 *
 * @param job its last recorded state
 * @param updatedAt when that state was written, by the backend's clock, or {@code null} when the
 *     store does not record it
 */
public record StoredJob(Job job, @Nullable Instant updatedAt) {

    /** Checks that the job is present. */
    public StoredJob {
        Objects.requireNonNull(job, "job");
    }
}
