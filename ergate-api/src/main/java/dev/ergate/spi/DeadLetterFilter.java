package dev.ergate.spi;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Which dead letters {@link JobAdmin#listDeadLetters} and {@link JobAdmin#requeueDeadLetters}
 * take: every filter is optional ({@code null}) and they all apply together.
 *
 * @param sourceQueue only those that came from this queue
 * @param jobId only those of this job
 * @param before only those given up on before this time
 * @param pageSize the most on one page, 1 to {@value JobQuery#MAX_PAGE_SIZE}
 * @param cursor the previous page's {@link CursorPage#nextCursor()}, or {@code null} for the first
 */
public record DeadLetterFilter(@Nullable String sourceQueue, @Nullable String jobId, @Nullable Instant before,
        int pageSize, @Nullable String cursor) {

    /** @throws IllegalArgumentException if the page size is out of range */
    public DeadLetterFilter {
        if (pageSize < 1 || pageSize > JobQuery.MAX_PAGE_SIZE) {
            throw new IllegalArgumentException(
                    "pageSize must be within 1.." + JobQuery.MAX_PAGE_SIZE + ", got " + pageSize);
        }
    }

    /** {@return a filter that takes every dead letter, {@value JobQuery#DEFAULT_PAGE_SIZE} per page} */
    public static DeadLetterFilter all() {
        return builder().build();
    }

    /** {@return a builder: every dead letter, {@value JobQuery#DEFAULT_PAGE_SIZE} per page} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param nextCursor the previous page's {@link CursorPage#nextCursor()}
     * @return the same filter, continuing after that page
     */
    public DeadLetterFilter after(@Nullable String nextCursor) {
        return new DeadLetterFilter(sourceQueue, jobId, before, pageSize, nextCursor);
    }

    /**
     * @param deadLetter a dead letter
     * @return whether it passes every filter (cursor and page size aside)
     */
    public boolean matches(DeadLetter deadLetter) {
        return (sourceQueue == null || sourceQueue.equals(deadLetter.sourceQueue()))
                && (jobId == null || jobId.equals(deadLetter.jobId()))
                && (before == null || deadLetter.at().isBefore(before));
    }

    /** Builds a {@link DeadLetterFilter}. Not thread-safe. */
    public static final class Builder {
        private @Nullable String sourceQueue;
        private @Nullable String jobId;
        private @Nullable Instant before;
        private int pageSize = JobQuery.DEFAULT_PAGE_SIZE;
        private @Nullable String cursor;

        private Builder() {
        }

        /** @param sourceQueue only those from this queue, or {@code null} for any */
        public Builder sourceQueue(@Nullable String sourceQueue) {
            this.sourceQueue = sourceQueue;
            return this;
        }

        /** @param jobId only those of this job, or {@code null} for any */
        public Builder jobId(@Nullable String jobId) {
            this.jobId = jobId;
            return this;
        }

        /** @param before only those given up on before this time, or {@code null} */
        public Builder before(@Nullable Instant before) {
            this.before = before;
            return this;
        }

        /** @param pageSize the most on one page */
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
        public DeadLetterFilter build() {
            return new DeadLetterFilter(sourceQueue, jobId, before, pageSize, cursor);
        }
    }
}
