package dev.ergate.spi;

import dev.ergate.JobStatus;
import org.jspecify.annotations.Nullable;

/**
 * What {@link JobStore#list(JobQuery)} returns: jobs with the given status and/or workflow (each
 * filter optional), at most {@code pageSize} per page, continuing after {@code cursor} (from
 * the previous page's {@link JobPage#nextCursor()}; {@code null} for the first page).
 *
 * @param status only jobs in this status, or {@code null} for any
 * @param workflowName only jobs of this workflow, or {@code null} for any
 * @param pageSize the most jobs on one page, 1 to {@value #MAX_PAGE_SIZE}
 * @param cursor where the previous page ended (opaque, store-specific), or {@code null}
 */
public record JobQuery(
        @Nullable JobStatus status,
        @Nullable String workflowName,
        int pageSize,
        @Nullable String cursor) {

    /** The page size when none is given. */
    public static final int DEFAULT_PAGE_SIZE = 100;
    /** The largest page a store hands out. */
    public static final int MAX_PAGE_SIZE = 10_000;

    /** @throws IllegalArgumentException if the page size is out of range */
    public JobQuery {
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException(
                    "pageSize must be within 1.." + MAX_PAGE_SIZE + ", got " + pageSize);
        }
    }

    /** {@return a builder: every job, {@value #DEFAULT_PAGE_SIZE} per page} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param nextCursor the previous page's {@link JobPage#nextCursor()}
     * @return the same query, continuing after that page
     */
    public JobQuery after(String nextCursor) {
        return new JobQuery(status, workflowName, pageSize, nextCursor);
    }

    /** Builds a {@link JobQuery}. Not thread-safe. */
    public static final class Builder {
        private @Nullable JobStatus status;
        private @Nullable String workflowName;
        private int pageSize = DEFAULT_PAGE_SIZE;
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

        /** {@return the query} */
        public JobQuery build() {
            return new JobQuery(status, workflowName, pageSize, cursor);
        }
    }
}
