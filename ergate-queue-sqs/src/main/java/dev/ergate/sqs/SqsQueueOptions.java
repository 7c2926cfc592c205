package dev.ergate.sqs;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How an {@link SqsJobQueue} uses its SQS queue: lease time, message size limit, receive batch,
 * long-poll bound, how long prefetched messages may wait locally, and the dead-letter queue.
 * Start from {@link #defaults()} or {@link #builder()}; {@link Builder#build()} checks every value
 * against SQS's own limits and names the offending setting. Immutable and thread-safe.
 */
public final class SqsQueueOptions {

    /** SQS's largest message: 1 MiB (body plus message attributes). */
    public static final long SQS_MAX_MESSAGE_BYTES = 1_048_576;
    /** The message size limit of accounts and emulators still on the old limit: 256 KiB. */
    public static final long SQS_LEGACY_MAX_MESSAGE_BYTES = 262_144;
    /** The largest job {@code put} can send to a queue with SQS's largest messages: 1 MiB less 1 KiB for Ergate's attributes. */
    public static final long SQS_MAX_JOB_BYTES = SQS_MAX_MESSAGE_BYTES - MessageAttributes.RESERVED_BYTES;
    /** The largest job {@code put} can send to a queue on the old 256 KiB limit: 256 KiB less 1 KiB. */
    public static final long SQS_LEGACY_MAX_JOB_BYTES = SQS_LEGACY_MAX_MESSAGE_BYTES - MessageAttributes.RESERVED_BYTES;
    /** SQS's longest visibility timeout, counted from the receive: 12 hours. */
    public static final Duration SQS_MAX_VISIBILITY = Duration.ofHours(12);
    /** SQS's longest long poll: 20 seconds. */
    public static final Duration SQS_MAX_LONG_POLL = Duration.ofSeconds(20);
    /** SQS's largest receive and delete batch: 10 messages. */
    public static final int SQS_MAX_BATCH = 10;

    private static final SqsQueueOptions DEFAULTS = builder().build();

    private final Duration leaseTime;
    private final long maxJobBytes;
    private final int receiveBatchSize;
    private final Duration maxLongPoll;
    private final Duration maxPrefetchHold;
    private final @Nullable String deadLetterQueueUrl;
    private final Clock clock;

    private SqsQueueOptions(Builder b) {
        this.leaseTime = b.leaseTime;
        this.maxJobBytes = b.maxJobBytes;
        this.receiveBatchSize = b.receiveBatchSize;
        this.maxLongPoll = b.maxLongPoll;
        this.maxPrefetchHold = b.maxPrefetchHold == null ? defaultHold(b.leaseTime) : b.maxPrefetchHold;
        this.deadLetterQueueUrl = b.deadLetterQueueUrl;
        this.clock = b.clock;
    }

    private static Duration defaultHold(Duration leaseTime) {
        Duration quarter = leaseTime.dividedBy(4);
        return quarter.compareTo(Duration.ofSeconds(1)) < 0 ? quarter : Duration.ofSeconds(1);
    }

    /**
     * @return 30 s lease, 1 MiB messages, batches of 10, 20 s long polls, prefetched messages
     *     held at most 1 s, no dead-letter queue of its own, the system UTC clock
     */
    public static SqsQueueOptions defaults() {
        return DEFAULTS;
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding this configuration's values} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * @return the visibility timeout a taken job gets (whole seconds): its lease until
     *     {@linkplain dev.ergate.spi.Delivery#extend extended}
     */
    public Duration leaseTime() {
        return leaseTime;
    }

    /** {@return the largest message, in bytes, body plus message attributes} */
    public long maxJobBytes() {
        return maxJobBytes;
    }

    /** {@return the most messages one receive asks for (1 to 10)} */
    public int receiveBatchSize() {
        return receiveBatchSize;
    }

    /** {@return the longest single long poll (at most 20 s); a take also never waits past its own bound} */
    public Duration maxLongPoll() {
        return maxLongPoll;
    }

    /**
     * @return how long a message received in a batch but not yet handed to a taker may wait
     *     locally before it is made visible again for other workers
     */
    public Duration maxPrefetchHold() {
        return maxPrefetchHold;
    }

    /**
     * @return the URL of the queue that undecodable messages and {@linkplain
     *     dev.ergate.spi.Delivery#deadLetter dead-lettered} jobs are moved to, or {@code null} to
     *     leave them to the queue's redrive policy
     */
    public @Nullable String deadLetterQueueUrl() {
        return deadLetterQueueUrl;
    }

    /** {@return the clock leases and start times are measured with} */
    public Clock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "SqsQueueOptions[leaseTime=" + leaseTime + ", maxJobBytes=" + maxJobBytes
                + ", receiveBatchSize=" + receiveBatchSize + ", maxLongPoll=" + maxLongPoll
                + ", maxPrefetchHold=" + maxPrefetchHold + ", deadLetterQueueUrl=" + deadLetterQueueUrl + "]";
    }

    /** Builds an {@link SqsQueueOptions}; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private Duration leaseTime = Duration.ofSeconds(30);
        private long maxJobBytes = SQS_MAX_JOB_BYTES;
        private int receiveBatchSize = SQS_MAX_BATCH;
        private Duration maxLongPoll = SQS_MAX_LONG_POLL;
        private @Nullable Duration maxPrefetchHold;
        private @Nullable String deadLetterQueueUrl;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        private Builder(SqsQueueOptions c) {
            this.leaseTime = c.leaseTime;
            this.maxJobBytes = c.maxJobBytes;
            this.receiveBatchSize = c.receiveBatchSize;
            this.maxLongPoll = c.maxLongPoll;
            this.maxPrefetchHold = c.maxPrefetchHold;
            this.deadLetterQueueUrl = c.deadLetterQueueUrl;
            this.clock = c.clock;
        }

        /** @param leaseTime a taken job's visibility timeout: whole seconds, 1 s to 12 h */
        public Builder leaseTime(Duration leaseTime) {
            this.leaseTime = Objects.requireNonNull(leaseTime, "leaseTime");
            return this;
        }

        /**
         * @param maxJobBytes the largest job, as JSON bytes, that {@code put} accepts: the queue's
         *     message size limit less 1 KiB kept for Ergate's message attributes (a start time, and
         *     the reason and origin of a dead letter), so at most
         *     {@value #SQS_MAX_JOB_BYTES} (the default); use {@value #SQS_LEGACY_MAX_JOB_BYTES} for
         *     queues still on the old 256 KiB limit
         */
        public Builder maxJobBytes(long maxJobBytes) {
            this.maxJobBytes = maxJobBytes;
            return this;
        }

        /** @param receiveBatchSize the most messages one receive asks for: 1 to 10 */
        public Builder receiveBatchSize(int receiveBatchSize) {
            this.receiveBatchSize = receiveBatchSize;
            return this;
        }

        /** @param maxLongPoll the longest single long poll: whole seconds, 0 to 20 s */
        public Builder maxLongPoll(Duration maxLongPoll) {
            this.maxLongPoll = Objects.requireNonNull(maxLongPoll, "maxLongPoll");
            return this;
        }

        /**
         * @param maxPrefetchHold how long a received but not yet handed-out message may wait
         *     locally: more than zero and at most half the lease time (default: a quarter of
         *     the lease time, at most 1 s)
         */
        public Builder maxPrefetchHold(Duration maxPrefetchHold) {
            this.maxPrefetchHold = Objects.requireNonNull(maxPrefetchHold, "maxPrefetchHold");
            return this;
        }

        /**
         * @param deadLetterQueueUrl where undecodable and dead-lettered messages go, or {@code
         *     null} to leave them to the queue's redrive policy
         */
        public Builder deadLetterQueueUrl(@Nullable String deadLetterQueueUrl) {
            this.deadLetterQueueUrl = deadLetterQueueUrl;
            return this;
        }

        /** @param clock the clock leases and start times are measured with */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return the configuration
         * @throws IllegalArgumentException naming the setting, if a value is outside SQS's limits
         */
        public SqsQueueOptions build() {
            if (leaseTime.compareTo(Duration.ofSeconds(1)) < 0 || leaseTime.compareTo(SQS_MAX_VISIBILITY) > 0
                    || leaseTime.getNano() != 0) {
                throw new IllegalArgumentException(
                        "leaseTime must be whole seconds between 1 s and 12 h (SQS visibility timeout), got " + leaseTime);
            }
            if (maxJobBytes < 1024 || maxJobBytes > SQS_MAX_JOB_BYTES) {
                throw new IllegalArgumentException("maxJobBytes must be within 1024.." + SQS_MAX_JOB_BYTES
                        + " (SQS's 1 MiB message limit less " + MessageAttributes.RESERVED_BYTES
                        + " bytes for Ergate's attributes), got " + maxJobBytes);
            }
            if (receiveBatchSize < 1 || receiveBatchSize > SQS_MAX_BATCH) {
                throw new IllegalArgumentException(
                        "receiveBatchSize must be within 1.." + SQS_MAX_BATCH + ", got " + receiveBatchSize);
            }
            if (maxLongPoll.isNegative() || maxLongPoll.compareTo(SQS_MAX_LONG_POLL) > 0 || maxLongPoll.getNano() != 0) {
                throw new IllegalArgumentException(
                        "maxLongPoll must be whole seconds between 0 and 20 s (SQS's longest wait), got " + maxLongPoll);
            }
            if (maxPrefetchHold != null && (maxPrefetchHold.isZero() || maxPrefetchHold.isNegative()
                    || maxPrefetchHold.compareTo(leaseTime.dividedBy(2)) > 0)) {
                throw new IllegalArgumentException("maxPrefetchHold must be more than zero and at most half the"
                        + " leaseTime (" + leaseTime + "), got " + maxPrefetchHold);
            }
            if (deadLetterQueueUrl != null && deadLetterQueueUrl.isBlank()) {
                throw new IllegalArgumentException("deadLetterQueueUrl must not be blank; use null for none");
            }
            return new SqsQueueOptions(this);
        }
    }
}
