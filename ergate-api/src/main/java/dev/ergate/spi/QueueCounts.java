package dev.ergate.spi;

/**
 * How many messages a queue holds, by where they are. A count the backend can't tell is
 * {@link #UNKNOWN}.
 *
 * @param ready messages a taker could take now
 * @param delayed messages waiting for their due time (a start time or a release delay)
 * @param inFlight messages taken and not yet acknowledged or released
 * @param deadLetters records in the queue's dead-letter place
 * @param approximate whether the backend reports estimates (SQS) rather than exact counts
 */
public record QueueCounts(long ready, long delayed, long inFlight, long deadLetters, boolean approximate) {

    /** The value of a count the backend can't tell. */
    public static final long UNKNOWN = -1;

    /** {@return ready + delayed + in flight, or {@link #UNKNOWN} when any of them is unknown} */
    public long total() {
        return ready < 0 || delayed < 0 || inFlight < 0 ? UNKNOWN : ready + delayed + inFlight;
    }
}
