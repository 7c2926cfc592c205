package dev.ergate.redis;

/**
 * How many messages a {@link RedisJobQueue} holds, by where they are. The counts are read one
 * after another, so under load they are a near snapshot, not an exact one.
 *
 * @param ready messages waiting for a taker now
 * @param delayed messages waiting for their due time (a {@code requested_start_time} or a
 *     release delay)
 * @param leased messages taken and not yet acked, released or expired-and-taken-again
 * @param deadLetters records in the dead-letter list
 *
 * <p>Immutable and thread-safe.
 */
public record RedisQueueStats(long ready, long delayed, long leased, long deadLetters) {

    /** @return every message still on the queue: ready, delayed and leased */
    public long total() {
        return ready + delayed + leased;
    }
}
