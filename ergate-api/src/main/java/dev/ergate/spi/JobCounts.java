package dev.ergate.spi;

import dev.ergate.JobStatus;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How many jobs a store holds, by workflow and status ({@link JobAdmin#countJobs()}). Statuses
 * and workflows with no job are left out.
 *
 * @param byWorkflow workflow name to status to count (sorted by name; unmodifiable)
 */
public record JobCounts(Map<String, Map<JobStatus, Long>> byWorkflow) {

    /** Copies the maps, dropping zero counts. */
    public JobCounts {
        Map<String, Map<JobStatus, Long>> copy = new TreeMap<>();
        byWorkflow.forEach((workflow, counts) -> {
            Map<JobStatus, Long> statuses = new EnumMap<>(JobStatus.class);
            counts.forEach((status, n) -> {
                if (n > 0) {
                    statuses.put(Objects.requireNonNull(status, "status"), n);
                }
            });
            if (!statuses.isEmpty()) {
                copy.put(Objects.requireNonNull(workflow, "workflow"), Collections.unmodifiableMap(statuses));
            }
        });
        byWorkflow = Collections.unmodifiableMap(copy);
    }

    /** {@return counts by status over every workflow} */
    public Map<JobStatus, Long> byStatus() {
        Map<JobStatus, Long> total = new EnumMap<>(JobStatus.class);
        byWorkflow.values().forEach(counts -> counts.forEach((status, n) -> total.merge(status, n, Long::sum)));
        return Collections.unmodifiableMap(total);
    }

    /**
     * @param workflow a workflow name
     * @param status a status
     * @return how many jobs of that workflow are in that status
     */
    public long count(String workflow, JobStatus status) {
        return byWorkflow.getOrDefault(workflow, Map.of()).getOrDefault(status, 0L);
    }

    /** {@return how many jobs there are in all} */
    public long total() {
        return byWorkflow.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
    }

    /** {@return a builder that adds counts up} */
    public static Builder builder() {
        return new Builder();
    }

    /** Adds counts up into a {@link JobCounts}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Map<JobStatus, Long>> counts = new TreeMap<>();

        private Builder() {
        }

        /**
         * @param workflow a workflow name
         * @param status a status
         * @param n how many more jobs of that workflow are in that status
         * @return this builder
         */
        public Builder add(String workflow, JobStatus status, long n) {
            counts.computeIfAbsent(workflow, w -> new EnumMap<>(JobStatus.class)).merge(status, n, Long::sum);
            return this;
        }

        /** {@return the counts} */
        public JobCounts build() {
            return new JobCounts(counts);
        }
    }
}
