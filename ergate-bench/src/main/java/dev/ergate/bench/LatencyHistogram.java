package dev.ergate.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts durations in nanoseconds in log-linear buckets: every power of two is split into
 * {@value #SUB_BUCKETS} equal buckets, so a reported percentile is within about 3% of the true
 * value (it is the upper edge of the bucket it falls in). Durations from 0 ns to several hours;
 * longer ones count in the last bucket.
 *
 * <p>Thread-safe and lock-free: many worker threads record at once.
 */
public final class LatencyHistogram {

    private static final int SUB_BUCKETS = 32;
    private static final int SUB_BITS = 5;
    private static final int MAX_EXPONENT = 40;
    private static final int BUCKETS = (MAX_EXPONENT + 1) * SUB_BUCKETS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    /** @param nanos a duration; negative ones count as 0 */
    public void record(long nanos) {
        counts.incrementAndGet(bucketOf(Math.max(0, nanos)));
    }

    /** @return how many durations were recorded */
    public long count() {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += counts.get(i);
        }
        return total;
    }

    /**
     * @param percentile within (0, 100]
     * @return the duration at that percentile (upper edge of its bucket), or 0 when nothing was
     *     recorded
     * @throws IllegalArgumentException if the percentile is out of range
     */
    public long percentileNanos(double percentile) {
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be within (0, 100], got " + percentile);
        }
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(total * percentile / 100.0);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return upperEdge(i);
            }
        }
        return upperEdge(BUCKETS - 1);
    }

    static int bucketOf(long nanos) {
        if (nanos < SUB_BUCKETS) {
            return (int) nanos;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(nanos); // >= SUB_BITS
        int sub = (int) (nanos >>> (exponent - SUB_BITS)) & (SUB_BUCKETS - 1);
        int bucket = (exponent - SUB_BITS + 1) * SUB_BUCKETS + sub;
        return Math.min(bucket, BUCKETS - 1);
    }

    static long upperEdge(int bucket) {
        if (bucket < SUB_BUCKETS) {
            return bucket;
        }
        int exponent = bucket / SUB_BUCKETS + SUB_BITS - 1;
        int sub = bucket % SUB_BUCKETS;
        long base = 1L << exponent;
        long width = 1L << (exponent - SUB_BITS);
        return base + (sub + 1) * width - 1;
    }
}
