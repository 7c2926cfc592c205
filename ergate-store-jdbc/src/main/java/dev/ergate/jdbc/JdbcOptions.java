package dev.ergate.jdbc;

import dev.ergate.JobCodec;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link JdbcBackend} names its tables and runs its queue. Start from {@link #defaults()}
 * or {@link #builder()}; {@link Builder#build()} checks every value and names the bad one.
 *
 * <p>Immutable and thread-safe.
 */
public final class JdbcOptions {

    private static final JdbcOptions DEFAULTS = builder().build();

    private final @Nullable String schema;
    private final String tablePrefix;
    private final boolean recordHistory;
    private final boolean migrateOnStart;
    private final String queueName;
    private final Duration leaseTime;
    private final int claimBatchSize;
    private final Duration pollInterval;
    private final long maxJobBytes;
    private final Duration publisherClaimTimeout;
    private final int maxDeadLetters;
    private final Duration finishTimeout;
    private final int poolSize;
    private final String ownerName;
    private final Clock clock;
    private final JobCodec codec;

    private JdbcOptions(Builder b) {
        this.schema = b.schema;
        this.tablePrefix = b.tablePrefix;
        this.recordHistory = b.recordHistory;
        this.migrateOnStart = b.migrateOnStart;
        this.queueName = b.queueName;
        this.leaseTime = b.leaseTime;
        this.claimBatchSize = b.claimBatchSize;
        this.pollInterval = b.pollInterval;
        this.maxJobBytes = b.maxJobBytes;
        this.publisherClaimTimeout = b.publisherClaimTimeout;
        this.maxDeadLetters = b.maxDeadLetters;
        this.finishTimeout = b.finishTimeout;
        this.poolSize = b.poolSize;
        this.ownerName = b.ownerName;
        this.clock = b.clock;
        this.codec = b.codec;
    }

    /** {@return the defaults: tables {@code ergate_*} in the connection's current schema} */
    public static JdbcOptions defaults() {
        return DEFAULTS;
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these options, to change some} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@return the schema holding the tables, or {@code null} for the connection's current one} */
    public @Nullable String schema() {
        return schema;
    }

    /** {@return the prefix of every table name; {@code ergate_} by default} */
    public String tablePrefix() {
        return tablePrefix;
    }

    /** {@return whether every job transition is recorded in the history table; true by default} */
    public boolean recordHistory() {
        return recordHistory;
    }

    /** {@return whether {@link JdbcBackend} applies missing migrations when created; true by default} */
    public boolean migrateOnStart() {
        return migrateOnStart;
    }

    /** {@return the name of the queue {@link JdbcBackend#queue()} uses; {@code default} by default} */
    public String queueName() {
        return queueName;
    }

    /** {@return how long a taken job stays leased before it is handed out again; 30 s by default} */
    public Duration leaseTime() {
        return leaseTime;
    }

    /**
     * @return the most jobs one claim query leases at once, for the takers waiting and the worker
     *     threads finishing a step (they take again right after); 8 by default
     */
    public int claimBatchSize() {
        return claimBatchSize;
    }

    /**
     * @return the longest an idle taker waits between two looks at the table even without a
     *     notification (the safety net for lost notifications); 5 s by default. While the
     *     notification connection is down, takers look at least once a second.
     */
    public Duration pollInterval() {
        return pollInterval;
    }

    /** {@return the largest job, as JSON bytes, {@link JdbcJobQueue#put} accepts; 8 MiB by default} */
    public long maxJobBytes() {
        return maxJobBytes;
    }

    /** {@return the codec of the queue's messages} */
    public JobCodec codec() {
        return codec;
    }

    /**
     * @return the most dead letters kept per queue: when one more is added, the oldest over this
     *     number are deleted (and the count logged); 10,000 by default, 0 for no limit
     */
    public int maxDeadLetters() {
        return maxDeadLetters;
    }

    /**
     * @return the longest one statement of step finishes may run, lock waits included, before
     *     PostgreSQL cancels it and the finishes are run one by one (so one job's locked row or a
     *     deadlock does not hold up the others); 5 s by default, rounded up to whole seconds
     */
    public Duration finishTimeout() {
        return finishTimeout;
    }

    /** {@return how long a publisher's claim on a due job holds before another may take it; 60 s} */
    public Duration publisherClaimTimeout() {
        return publisherClaimTimeout;
    }

    /** {@return the pool size {@link JdbcBackend#connect(String, JdbcOptions)} uses; 10 by default} */
    public int poolSize() {
        return poolSize;
    }

    /** {@return who holds leases and claims, as written to the tables; host and pid by default} */
    public String ownerName() {
        return ownerName;
    }

    /** {@return the clock every time written to the tables comes from; UTC system clock by default} */
    public Clock clock() {
        return clock;
    }

    /** Builds {@link JdbcOptions}; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private @Nullable String schema;
        private String tablePrefix = "ergate_";
        private boolean recordHistory = true;
        private boolean migrateOnStart = true;
        private String queueName = "default";
        private Duration leaseTime = Duration.ofSeconds(30);
        private int claimBatchSize = 8;
        private Duration pollInterval = Duration.ofSeconds(5);
        private long maxJobBytes = 8L * 1024 * 1024;
        private Duration publisherClaimTimeout = Duration.ofSeconds(60);
        private int maxDeadLetters = 10_000;
        private Duration finishTimeout = Duration.ofSeconds(5);
        private int poolSize = 10;
        private String ownerName = defaultOwnerName();
        private Clock clock = Clock.systemUTC();
        private JobCodec codec = JobCodec.standard();

        private Builder() {
        }

        private Builder(JdbcOptions o) {
            this.schema = o.schema;
            this.tablePrefix = o.tablePrefix;
            this.recordHistory = o.recordHistory;
            this.migrateOnStart = o.migrateOnStart;
            this.queueName = o.queueName;
            this.leaseTime = o.leaseTime;
            this.claimBatchSize = o.claimBatchSize;
            this.pollInterval = o.pollInterval;
            this.maxJobBytes = o.maxJobBytes;
            this.publisherClaimTimeout = o.publisherClaimTimeout;
            this.maxDeadLetters = o.maxDeadLetters;
            this.finishTimeout = o.finishTimeout;
            this.poolSize = o.poolSize;
            this.ownerName = o.ownerName;
            this.clock = o.clock;
            this.codec = o.codec;
        }

        /**
         * @param codec how the queue writes and reads its messages (the job's JSON): give one with
         *     a Python dialect to share jobs with Python Ergate (integer statuses); default
         *     {@link JobCodec#standard()}
         */
        public Builder codec(JobCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /** @param schema the schema for the tables (created if missing), or {@code null} for the current one */
        public Builder schema(@Nullable String schema) {
            this.schema = schema;
            return this;
        }

        /** @param tablePrefix the prefix of every table name: up to 24 of {@code [a-z0-9_]}, may be empty */
        public Builder tablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
            return this;
        }

        /** @param recordHistory whether to record every transition in the history table */
        public Builder recordHistory(boolean recordHistory) {
            this.recordHistory = recordHistory;
            return this;
        }

        /** @param migrateOnStart whether to apply missing migrations when the backend is created */
        public Builder migrateOnStart(boolean migrateOnStart) {
            this.migrateOnStart = migrateOnStart;
            return this;
        }

        /** @param queueName the name of the default queue; not blank, at most 200 characters */
        public Builder queueName(String queueName) {
            this.queueName = queueName;
            return this;
        }

        /** @param leaseTime how long a taken job stays leased; at least 1 s */
        public Builder leaseTime(Duration leaseTime) {
            this.leaseTime = leaseTime;
            return this;
        }

        /** @param claimBatchSize the most jobs one claim leases, 1 to 100 */
        public Builder claimBatchSize(int claimBatchSize) {
            this.claimBatchSize = claimBatchSize;
            return this;
        }

        /** @param pollInterval the safety-net poll interval, 100 ms to 1 h */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
            return this;
        }

        /** @param maxJobBytes the largest job accepted, 1 KiB to 512 MiB */
        public Builder maxJobBytes(long maxJobBytes) {
            this.maxJobBytes = maxJobBytes;
            return this;
        }

        /** @param publisherClaimTimeout how long a publisher's claim holds; at least 1 s */
        public Builder publisherClaimTimeout(Duration publisherClaimTimeout) {
            this.publisherClaimTimeout = publisherClaimTimeout;
            return this;
        }

        /** @param maxDeadLetters dead letters kept per queue (the oldest go first), 0 for no limit */
        public Builder maxDeadLetters(int maxDeadLetters) {
            this.maxDeadLetters = maxDeadLetters;
            return this;
        }

        /** @param finishTimeout the longest a statement of step finishes may run; 1 s to 10 min, whole seconds */
        public Builder finishTimeout(Duration finishTimeout) {
            this.finishTimeout = finishTimeout;
            return this;
        }

        /** @param poolSize connections in the pool {@link JdbcBackend#connect} builds; at least 2 */
        public Builder poolSize(int poolSize) {
            this.poolSize = poolSize;
            return this;
        }

        /** @param ownerName who holds leases and claims, for people reading the tables; not blank */
        public Builder ownerName(String ownerName) {
            this.ownerName = ownerName;
            return this;
        }

        /** @param clock where times come from */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException naming the option, if a value is out of range
         */
        public JdbcOptions build() {
            Tables.checkSchema(schema);
            Tables.checkPrefix(tablePrefix);
            if (queueName == null || queueName.isBlank() || queueName.length() > 200) {
                throw new IllegalArgumentException("queueName must be 1 to 200 characters and not blank, got "
                        + (queueName == null ? "nothing" : "'" + queueName + "'"));
            }
            atLeast("leaseTime", leaseTime, Duration.ofSeconds(1));
            atLeast("pollInterval", pollInterval, Duration.ofMillis(100));
            if (pollInterval.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("pollInterval must be at most 1 h, got " + pollInterval);
            }
            atLeast("publisherClaimTimeout", publisherClaimTimeout, Duration.ofSeconds(1));
            if (claimBatchSize < 1 || claimBatchSize > 100) {
                throw new IllegalArgumentException("claimBatchSize must be within 1..100, got " + claimBatchSize);
            }
            if (maxJobBytes < 1024 || maxJobBytes > 512L * 1024 * 1024) {
                throw new IllegalArgumentException(
                        "maxJobBytes must be within 1024..536870912, got " + maxJobBytes);
            }
            if (maxDeadLetters < 0) {
                throw new IllegalArgumentException("maxDeadLetters must be 0 (no limit) or more, got " + maxDeadLetters);
            }
            atLeast("finishTimeout", finishTimeout, Duration.ofSeconds(1));
            if (finishTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("finishTimeout must be at most 10 min, got " + finishTimeout);
            }
            if (poolSize < 2) {
                throw new IllegalArgumentException("poolSize must be at least 2 (one connection listens for "
                        + "notifications), got " + poolSize);
            }
            if (ownerName == null || ownerName.isBlank()) {
                throw new IllegalArgumentException("ownerName must not be blank");
            }
            Objects.requireNonNull(clock, "clock");
            return new JdbcOptions(this);
        }

        private static void atLeast(String name, @Nullable Duration value, Duration min) {
            if (value == null || value.compareTo(min) < 0) {
                throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
            }
        }

        private static String defaultOwnerName() {
            return DefaultOwner.NAME;
        }
    }

    /** Computed once: the host lookup behind it can be slow. */
    private static final class DefaultOwner {
        /** "pid@host" on HotSpot. */
        static final String NAME = ManagementFactory.getRuntimeMXBean().getName();
    }
}
