package dev.ergate.spi;

import dev.ergate.Job;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One page of {@link JobStore#list(JobQuery)}.
 *
 * @param jobs the jobs on this page, in the store's stable order
 * @param nextCursor where the next page starts, or {@code null} when this is the last page
 */
public record JobPage(List<Job> jobs, @Nullable String nextCursor) {

    /** Copies the list, so a page never changes. */
    public JobPage {
        jobs = List.copyOf(jobs);
    }

    /** {@return the cursor of the next page, or empty when this is the last one} */
    public Optional<String> next() {
        return Optional.ofNullable(nextCursor);
    }
}
