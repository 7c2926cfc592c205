package dev.ergate.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link RedisJobQueue} behaves: its name within the namespace, how long a taken job stays
 * leased, how often a message may be delivered before it is dead-lettered, and the largest job
 * it carries.
 *
 * <p>Immutable and thread-safe.
 */
public final class RedisQueueOptions {

    /** The largest value Redis stores: 512 MiB. */
    public static final long REDIS_MAX_BYTES = 512L * 1024 * 1024;

    private static final RedisQueueOptions DEFAULTS = builder().build();

    private final String name;
    private final Duration leaseTime;
    private final int maxDeliveries;
    private final long maxJobBytes;
    private final boolean claimOnFinish;
    private final int maxDeadLetters;
    private final boolean pipelineFinishes;

    private RedisQueueOptions(Builder b) {
        this.name = b.name;
        this.leaseTime = b.leaseTime;
        this.maxDeliveries = b.maxDeliveries;
        this.maxJobBytes = b.maxJobBytes;
        this.claimOnFinish = b.claimOnFinish;
        this.maxDeadLetters = b.maxDeadLetters;
        this.pipelineFinishes = b.pipelineFinishes;
    }

    /**
     * @return queue {@code jobs}, 30 s leases, no delivery limit (the Ergate worker's own {@code
     *     maxDeliveries} fails and dead-letters such jobs), jobs up to 16 MiB, claim on finish,
     *     at most 10,000 dead letters kept, finishes of several threads pipelined
     */
    public static RedisQueueOptions defaults() {
        return DEFAULTS;
    }

    /** {@return a builder starting from {@link #defaults()}} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these options} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@return the queue's name, part of its keys: several queues may share a namespace} */
    public String name() {
        return name;
    }

    /** {@return how long a taken job stays invisible to other takers unless extended} */
    public Duration leaseTime() {
        return leaseTime;
    }

    /**
     * @return how many times one message may be delivered; the next time it would be delivered
     *     (its takers kept dying or releasing it) it goes to the dead letters instead; 0 for no
     *     limit. Under an Ergate worker keep it 0 or above the worker's own {@code
     *     maxDeliveries}, which also marks the job FAILED in the store.
     */
    public int maxDeliveries() {
        return maxDeliveries;
    }

    /** {@return the largest encoded job {@code put} accepts, in bytes} */
    public long maxJobBytes() {
        return maxJobBytes;
    }

    /**
     * @return whether the script that finishes a step atomically (see {@link
     *     RedisJobQueue#atomicStepFinish}) also claims the next ready job, which the queue then hands
     *     to its next {@code take} without a round trip. A worker takes again right after a finish,
     *     so this saves one of the three round trips of a step, and the next step of a job can start
     *     on the worker that just finished the previous one instead of waking another. The cost: a
     *     worker that stops taking after its last finish leaves the job it claimed leased until
     *     {@link RedisJobQueue#close()} releases it or its lease runs out, as if it had crashed
     *     (nothing is lost; the next step just starts later)
     */
    public boolean claimOnFinish() {
        return claimOnFinish;
    }

    /**
     * @return the most dead letters kept: adding one more drops the oldest (a foreign producer
     *     pushing garbage can't fill Redis); 0 for no limit
     */
    public int maxDeadLetters() {
        return maxDeadLetters;
    }

    /**
     * @return whether the atomic step finishes (see {@link RedisJobQueue#atomicStepFinish}) that
     *     several worker threads make at the same time go to Redis together, in one pipeline on one
     *     connection: one round trip for all of them instead of one each. Each finish stays its own
     *     script, atomic on its own, with its own outcome (one whose lease was lost fails alone); a
     *     finish that finds no pipeline in flight is sent at once, so a lone worker waits for
     *     nothing; up to two pipelines are in flight at once, on two connections, so Redis has the
     *     next one while it runs the one before. Off: each finish is its own round trip. What it saves on 2 cores: BENCHMARKS.md,
     *     "Redis: finishes pipelined across worker threads"
     */
    public boolean pipelineFinishes() {
        return pipelineFinishes;
    }

    @Override
    public String toString() {
        return "RedisQueueOptions[name=" + name + ", leaseTime=" + leaseTime + ", maxDeliveries=" + maxDeliveries
                + ", maxJobBytes=" + maxJobBytes + ", claimOnFinish=" + claimOnFinish + ", maxDeadLetters="
                + maxDeadLetters + ", pipelineFinishes=" + pipelineFinishes + "]";
    }

    /** Builds {@link RedisQueueOptions}; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder {
        private String name = "jobs";
        private Duration leaseTime = Duration.ofSeconds(30);
        private int maxDeliveries = 0;
        private long maxJobBytes = 16L * 1024 * 1024;
        private boolean claimOnFinish = true;
        private int maxDeadLetters = 10_000;
        private boolean pipelineFinishes = true;

        private Builder() {
        }

        private Builder(RedisQueueOptions o) {
            this.name = o.name;
            this.leaseTime = o.leaseTime;
            this.maxDeliveries = o.maxDeliveries;
            this.maxJobBytes = o.maxJobBytes;
            this.claimOnFinish = o.claimOnFinish;
            this.maxDeadLetters = o.maxDeadLetters;
            this.pipelineFinishes = o.pipelineFinishes;
        }

        /** @param name the queue's name: not empty, without braces */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** @param leaseTime at least 10 ms and at most 24 hours */
        public Builder leaseTime(Duration leaseTime) {
            this.leaseTime = Objects.requireNonNull(leaseTime, "leaseTime");
            return this;
        }

        /** @param maxDeliveries at least 1, or 0 for no limit */
        public Builder maxDeliveries(int maxDeliveries) {
            this.maxDeliveries = maxDeliveries;
            return this;
        }

        /** @param maxJobBytes at least 1 and at most 512 MiB (Redis's own limit) */
        public Builder maxJobBytes(long maxJobBytes) {
            this.maxJobBytes = maxJobBytes;
            return this;
        }

        /** @param claimOnFinish see {@link RedisQueueOptions#claimOnFinish()} (default true) */
        public Builder claimOnFinish(boolean claimOnFinish) {
            this.claimOnFinish = claimOnFinish;
            return this;
        }

        /** @param maxDeadLetters at least 1, or 0 for no limit (default 10,000) */
        public Builder maxDeadLetters(int maxDeadLetters) {
            this.maxDeadLetters = maxDeadLetters;
            return this;
        }

        /** @param pipelineFinishes see {@link RedisQueueOptions#pipelineFinishes()} (default true) */
        public Builder pipelineFinishes(boolean pipelineFinishes) {
            this.pipelineFinishes = pipelineFinishes;
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException naming the setting, if one is out of range
         */
        public RedisQueueOptions build() {
            if (name.isEmpty() || name.indexOf('{') >= 0 || name.indexOf('}') >= 0) {
                throw new IllegalArgumentException("queue name must be non-empty and hold no '{' or '}', got '"
                        + name + "'");
            }
            if (leaseTime.compareTo(Duration.ofMillis(10)) < 0 || leaseTime.compareTo(Duration.ofHours(24)) > 0) {
                throw new IllegalArgumentException("leaseTime must be within 10 ms..24 h, got " + leaseTime);
            }
            if (maxDeliveries < 0) {
                throw new IllegalArgumentException("maxDeliveries must be at least 1, or 0 for no limit, got "
                        + maxDeliveries);
            }
            if (maxJobBytes < 1 || maxJobBytes > REDIS_MAX_BYTES) {
                throw new IllegalArgumentException("maxJobBytes must be within 1.." + REDIS_MAX_BYTES + ", got "
                        + maxJobBytes);
            }
            if (maxDeadLetters < 0) {
                throw new IllegalArgumentException("maxDeadLetters must be at least 1, or 0 for no limit, got "
                        + maxDeadLetters);
            }
            return new RedisQueueOptions(this);
        }
    }
}
