package dev.ergate.bench;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one harness run does: which backend, how many jobs of how many no-op steps, how many
 * worker threads (and so backend connections, for Ergate and the raw baseline alike), the
 * payload size, and where the backend is. Immutable; from {@link #builder()} or the command
 * line ({@link BenchCommand}).
 */
public final class HarnessOptions {

    /** The environment variable naming the Redis server, as the adapter tests read it. */
    public static final String REDIS_URL_ENV = "ERGATE_REDIS_URL";
    /** The environment variable naming the PostgreSQL database (a JDBC URL or postgresql:// URI). */
    public static final String POSTGRES_URL_ENV = "ERGATE_POSTGRES_URL";
    /** The environment variable naming an SQS endpoint; unset means an in-process ElasticMQ. */
    public static final String SQS_ENDPOINT_ENV = "ERGATE_SQS_ENDPOINT";

    /** The Redis server used when neither an option nor the environment names one. */
    public static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
    /** The database used when neither an option nor the environment names one. */
    public static final String DEFAULT_POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private static final HarnessOptions DEFAULTS = builder().build();

    private final BackendKind backend;
    private final int jobs;
    private final int steps;
    private final int workers;
    private final int payloadBytes;
    private final int warmupJobs;
    private final int latencyJobs;
    private final int inFlight;
    private final boolean baseline;
    private final Duration timeout;
    private final Duration leaseTime;
    private final String redisUrl;
    private final String postgresUrl;
    private final @Nullable String sqsEndpoint;

    private HarnessOptions(Builder b) {
        this.backend = b.backend;
        this.jobs = b.jobs;
        this.steps = b.steps;
        this.workers = b.workers;
        this.payloadBytes = b.payloadBytes;
        this.warmupJobs = b.warmupJobs != null ? b.warmupJobs : b.jobs / 10;
        this.latencyJobs = b.latencyJobs != null ? b.latencyJobs : Math.max(1, b.jobs / 5);
        this.inFlight = b.inFlight != null ? b.inFlight : b.workers;
        this.baseline = b.baseline;
        this.timeout = b.timeout;
        this.leaseTime = b.leaseTime;
        this.redisUrl = b.redisUrl;
        this.postgresUrl = b.postgresUrl;
        this.sqsEndpoint = b.sqsEndpoint;
    }

    /** {@return the defaults: memory, 20,000 jobs of 3 steps, 4 workers, 100-byte payload} */
    public static HarnessOptions defaults() {
        return DEFAULTS;
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the backend to measure} */
    public BackendKind backend() {
        return backend;
    }

    /** {@return how many jobs the throughput phase pre-loads and runs} */
    public int jobs() {
        return jobs;
    }

    /** {@return no-op steps per job} */
    public int steps() {
        return steps;
    }

    /** {@return worker threads, and so backend connections, for Ergate and the baseline alike} */
    public int workers() {
        return workers;
    }

    /** {@return characters of the text each job carries (its input, and every step's result)} */
    public int payloadBytes() {
        return payloadBytes;
    }

    /** {@return jobs run before the measured phases and not reported; 0 for none} */
    public int warmupJobs() {
        return warmupJobs;
    }

    /** {@return jobs of the latency phase, 0 to skip it} */
    public int latencyJobs() {
        return latencyJobs;
    }

    /** {@return how many jobs the latency phase keeps in flight at once} */
    public int inFlight() {
        return inFlight;
    }

    /** {@return whether to run the raw baseline} */
    public boolean baseline() {
        return baseline;
    }

    /** {@return how long one phase may take before the run fails} */
    public Duration timeout() {
        return timeout;
    }

    /** {@return the queue's lease time} */
    public Duration leaseTime() {
        return leaseTime;
    }

    /** {@return the Redis server} */
    public String redisUrl() {
        return redisUrl;
    }

    /** {@return the PostgreSQL database} */
    public String postgresUrl() {
        return postgresUrl;
    }

    /** {@return an SQS endpoint, or {@code null} to start ElasticMQ in this JVM} */
    public @Nullable String sqsEndpoint() {
        return sqsEndpoint;
    }

    @Override
    public String toString() {
        return "backend=" + backend.cliName() + " jobs=" + jobs + " steps=" + steps + " workers=" + workers
                + " payload-bytes=" + payloadBytes + " warmup-jobs=" + warmupJobs + " latency-jobs=" + latencyJobs
                + " in-flight=" + inFlight + (baseline ? "" : " no-baseline");
    }

    /** Builds {@link HarnessOptions}; {@link #build()} checks the values. Not thread-safe. */
    public static final class Builder {
        private BackendKind backend = BackendKind.MEMORY;
        private int jobs = 20_000;
        private int steps = 3;
        private int workers = 4;
        private int payloadBytes = 100;
        private @Nullable Integer warmupJobs;
        private @Nullable Integer latencyJobs;
        private @Nullable Integer inFlight;
        private boolean baseline = true;
        private Duration timeout = Duration.ofSeconds(600);
        private Duration leaseTime = Duration.ofSeconds(30);
        private String redisUrl = DEFAULT_REDIS_URL;
        private String postgresUrl = DEFAULT_POSTGRES_URL;
        private @Nullable String sqsEndpoint;

        private Builder() {
        }

        /** @param backend the backend to measure; default memory @return this builder */
        public Builder backend(BackendKind backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /** @param jobs jobs in the throughput phase, at least 1; default 20,000 @return this builder */
        public Builder jobs(int jobs) {
            this.jobs = jobs;
            return this;
        }

        /** @param steps steps per job, 1 to 1000; default 3 @return this builder */
        public Builder steps(int steps) {
            this.steps = steps;
            return this;
        }

        /** @param workers worker threads and connections, 1 to 256; default 4 @return this builder */
        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        /** @param payloadBytes 0 to 16 MiB; default 100 @return this builder */
        public Builder payloadBytes(int payloadBytes) {
            this.payloadBytes = payloadBytes;
            return this;
        }

        /** @param warmupJobs 0 or more; default jobs / 10 @return this builder */
        public Builder warmupJobs(int warmupJobs) {
            this.warmupJobs = warmupJobs;
            return this;
        }

        /** @param latencyJobs 0 (skip) or more; default jobs / 5 @return this builder */
        public Builder latencyJobs(int latencyJobs) {
            this.latencyJobs = latencyJobs;
            return this;
        }

        /** @param inFlight at least 1; default the worker count @return this builder */
        public Builder inFlight(int inFlight) {
            this.inFlight = inFlight;
            return this;
        }

        /** @param baseline run the raw baseline; default true @return this builder */
        public Builder baseline(boolean baseline) {
            this.baseline = baseline;
            return this;
        }

        /** @param timeout positive; default 600 s @return this builder */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** @param leaseTime positive; default 30 s @return this builder */
        public Builder leaseTime(Duration leaseTime) {
            this.leaseTime = Objects.requireNonNull(leaseTime, "leaseTime");
            return this;
        }

        /** @param url a redis:// URL @return this builder */
        public Builder redisUrl(String url) {
            this.redisUrl = Objects.requireNonNull(url, "redisUrl");
            return this;
        }

        /** @param url a JDBC URL or postgresql:// URI @return this builder */
        public Builder postgresUrl(String url) {
            this.postgresUrl = Objects.requireNonNull(url, "postgresUrl");
            return this;
        }

        /** @param endpoint an SQS endpoint URL, or {@code null} for in-process ElasticMQ @return this builder */
        public Builder sqsEndpoint(@Nullable String endpoint) {
            this.sqsEndpoint = endpoint;
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException naming the first value out of range
         */
        public HarnessOptions build() {
            check(jobs >= 1, "--jobs must be at least 1, got " + jobs);
            check(steps >= 1 && steps <= 1000, "--steps must be within 1..1000, got " + steps);
            check(workers >= 1 && workers <= 256, "--workers must be within 1..256, got " + workers);
            check(payloadBytes >= 0 && payloadBytes <= 16 << 20,
                    "--payload-bytes must be within 0..16777216, got " + payloadBytes);
            check(warmupJobs == null || warmupJobs >= 0, "--warmup-jobs must not be negative, got " + warmupJobs);
            check(latencyJobs == null || latencyJobs >= 0, "--latency-jobs must not be negative, got " + latencyJobs);
            check(inFlight == null || inFlight >= 1, "--in-flight must be at least 1, got " + inFlight);
            check(!timeout.isNegative() && !timeout.isZero(), "--timeout-seconds must be positive, got " + timeout);
            check(!leaseTime.isNegative() && !leaseTime.isZero(), "--lease-seconds must be positive, got " + leaseTime);
            check(!redisUrl.isBlank(), "--redis-url must not be blank");
            check(!postgresUrl.isBlank(), "--postgres-url must not be blank");
            return new HarnessOptions(this);
        }

        private static void check(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
