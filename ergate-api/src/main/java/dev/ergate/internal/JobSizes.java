package dev.ergate.internal;

import dev.ergate.Job;
import dev.ergate.spi.JobTooLargeException;

/** The size check every queue's {@code put} makes before it writes anything. */
public final class JobSizes {

    private JobSizes() {
    }

    /**
     * @param job the job being put
     * @param encoded its JSON
     * @param maxJobBytes the queue's limit
     * @return {@code encoded}
     * @throws JobTooLargeException if {@code encoded} is over the limit
     */
    public static byte[] check(Job job, byte[] encoded, long maxJobBytes) {
        if (encoded.length > maxJobBytes) {
            throw new JobTooLargeException(job.id(), job.workflowName(), encoded.length, maxJobBytes);
        }
        return encoded;
    }

    /**
     * Checks a {@code maxJobBytes} setting.
     *
     * @return {@code maxJobBytes}
     * @throws IllegalArgumentException if it is not positive
     */
    public static long requirePositive(long maxJobBytes) {
        if (maxJobBytes <= 0) {
            throw new IllegalArgumentException("maxJobBytes must be positive, got " + maxJobBytes);
        }
        return maxJobBytes;
    }
}
