package dev.ergate.spi;

import dev.ergate.JobStatus;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Which jobs {@link JobAdmin#listJobs} returns: every filter is optional ({@code null}) and they
 * all apply together.
 *
 * @param status only jobs in this status
 * @param workflowName only jobs of this workflow
 * @param idPrefix only jobs whose id (as text) starts with this
 * @param updatedAfter only jobs last written at or after this time
 * @param updatedBefore only jobs last written before this time
 * @param pageSize the most jobs on one page, 1 to {@value JobQuery#MAX_PAGE_SIZE}
 * @param cursor the previous page's {@link CursorPage#nextCursor()}, or {@code null} for the first
 */
public record JobFilter(@Nullable JobStatus status, @Nullable String workflowName, @Nullable String idPrefix,
        @Nullable Instant updatedAfter, @Nullable Instant updatedBefore, int pageSize, @Nullable String cursor) {

    /** @throws IllegalArgumentException if the page size is out of range or the id prefix empty */
    public JobFilter {
        if (pageSize < 1 || pageSize > JobQuery.MAX_PAGE_SIZE) {
            throw new IllegalArgumentException(
                    "pageSize must be within 1.." + JobQuery.MAX_PAGE_SIZE + ", got " + pageSize);
        }
        if (idPrefix != null && idPrefix.isEmpty()) {
            idPrefix = null;
        }
    }

    /** {@return a builder: every job, {@value JobQuery#DEFAULT_PAGE_SIZE} per page} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param nextCursor the previous page's {@link CursorPage#nextCursor()}
     * @return the same filter, continuing after that page
     */
    public JobFilter after(@Nullable String nextCursor) {
        return new JobFilter(status, workflowName, idPrefix, updatedAfter, updatedBefore, pageSize, nextCursor);
    }

    /**
     * @param job a stored job
     * @return whether it passes every filter (cursor and page size aside); a filter on the update
     *     time never matches a job whose time the store does not record
     */
    public boolean matches(StoredJob job) {
        Instant updated = job.updatedAt();
        return (status == null || job.job().status() == status)
                && (workflowName == null || job.job().workflowName().equals(workflowName))
                && (idPrefix == null || (job.job().id() != null && job.job().id().toString().startsWith(idPrefix)))
                && (updatedAfter == null || (updated != null && !updated.isBefore(updatedAfter)))
                && (updatedBefore == null || (updated != null && updated.isBefore(updatedBefore)));
    }

    /** Builds a {@link JobFilter}. Not thread-safe. */
    public static final class Builder {
        private @Nullable JobStatus status;
        private @Nullable String workflowName;
        private @Nullable String idPrefix;
        private @Nullable Instant updatedAfter;
        private @Nullable Instant updatedBefore;
        private int pageSize = JobQuery.DEFAULT_PAGE_SIZE;
        private @Nullable String cursor;

        private Builder() {
        }

        /** @param status only jobs in this status, or {@code null} for any */
        public Builder status(@Nullable JobStatus status) {
            this.status = status;
            return this;
        }

        /** @param workflowName only jobs of this workflow, or {@code null} for any */
        public Builder workflowName(@Nullable String workflowName) {
            this.workflowName = workflowName;
            return this;
        }

        /** @param idPrefix only jobs whose id starts with this, or {@code null} for any */
        public Builder idPrefix(@Nullable String idPrefix) {
            this.idPrefix = idPrefix;
            return this;
        }

        /** @param updatedAfter only jobs last written at or after this time, or {@code null} */
        public Builder updatedAfter(@Nullable Instant updatedAfter) {
            this.updatedAfter = updatedAfter;
            return this;
        }

        /** @param updatedBefore only jobs last written before this time, or {@code null} */
        public Builder updatedBefore(@Nullable Instant updatedBefore) {
            this.updatedBefore = updatedBefore;
            return this;
        }

        /** @param pageSize the most jobs on one page */
        public Builder pageSize(int pageSize) {
            this.pageSize = pageSize;
            return this;
        }

        /** @param cursor continue after this page end, or {@code null} for the first page */
        public Builder cursor(@Nullable String cursor) {
            this.cursor = cursor;
            return this;
        }

        /** {@return the filter} */
        public JobFilter build() {
            return new JobFilter(status, workflowName, idPrefix, updatedAfter, updatedBefore, pageSize, cursor);
        }
    }
}
