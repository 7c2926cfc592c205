package dev.ergate.spring.boot;

import dev.ergate.JobStatus;
import dev.ergate.StatusDialect;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The {@code ergate.*} properties. A value out of range fails start-up with a message naming the
 * property ({@link #validate()}, run once they are bound).
 */
@ConfigurationProperties("ergate")
public class ErgateProperties implements InitializingBean {

    /** The backends Ergate can run on. */
    public enum Backend {
        /** Redis queue and job store (ergate-queue-redis). */
        REDIS,
        /** PostgreSQL queue and job store (ergate-store-jdbc), on the application's DataSource by default. */
        POSTGRES,
        /** Amazon SQS queue (ergate-queue-sqs); the job store is chosen by ergate.sqs.store. */
        SQS,
        /** In-memory queue and store of one JVM (ergate-testkit): tests and demos. */
        MEMORY
    }

    /** Where SQS keeps job states: SQS itself holds none. */
    public enum SqsStore {
        /** The PostgreSQL job store, configured by ergate.postgres.*. */
        POSTGRES,
        /** The Redis job store, configured by ergate.redis.*. */
        REDIS,
        /** An in-memory store (ergate-testkit): tests and demos. */
        MEMORY
    }

    /**
     * The backend: redis, postgres, sqs or memory. Leave it unset only when the application
     * defines its own JobQueue and StateStore beans.
     */
    private @Nullable Backend backend;

    /** How long a taken job stays leased before another worker may take it (the worker extends it while a step runs). */
    private Duration lease = Duration.ofSeconds(30);

    /**
     * How integer job statuses are read: names-only (Ergate for Java), python-2024 or python-2025
     * (jobs shared with Python Ergate). Used by the queue of every backend (its messages); PostgreSQL's state tables keep names.
     */
    private StatusDialect dialect = StatusDialect.NAMES_ONLY;

    /**
     * Write the status as the dialect's integer code instead of its name. Unset: codes with a
     * Python dialect (Python Ergate reads only integers), names without one.
     */
    private @Nullable Boolean writeStatusCodes;

    private final Worker worker = new Worker();
    private final Retry retry = new Retry();
    private final Redis redis = new Redis();
    private final Postgres postgres = new Postgres();
    private final Sqs sqs = new Sqs();
    private final Dashboard dashboard = new Dashboard();

    public @Nullable Backend getBackend() {
        return backend;
    }

    public void setBackend(@Nullable Backend backend) {
        this.backend = backend;
    }

    public Duration getLease() {
        return lease;
    }

    public void setLease(Duration lease) {
        this.lease = lease;
    }

    public StatusDialect getDialect() {
        return dialect;
    }

    public void setDialect(StatusDialect dialect) {
        this.dialect = dialect;
    }

    public @Nullable Boolean getWriteStatusCodes() {
        return writeStatusCodes;
    }

    public void setWriteStatusCodes(@Nullable Boolean writeStatusCodes) {
        this.writeStatusCodes = writeStatusCodes;
    }

    public Worker getWorker() {
        return worker;
    }

    public Retry getRetry() {
        return retry;
    }

    public Redis getRedis() {
        return redis;
    }

    public Postgres getPostgres() {
        return postgres;
    }

    public Sqs getSqs() {
        return sqs;
    }

    public Dashboard getDashboard() {
        return dashboard;
    }

    /** Checks the bound values: called by Spring once they are bound. */
    @Override
    public void afterPropertiesSet() {
        validate();
    }

    /**
     * Checks every value, the ones that must agree with each other, and the settings a backend
     * requires.
     *
     * @throws InvalidConfigurationPropertyValueException naming the property
     */
    public void validate() {
        require(lease.compareTo(Duration.ofSeconds(1)) >= 0, "ergate.lease", lease, "it must be at least 1s");
        Integer concurrency = worker.getConcurrency();
        require(concurrency == null || (concurrency >= 1 && concurrency <= 1024), "ergate.worker.concurrency",
                concurrency, "it must be within 1..1024");
        require(positive(worker.getPollTimeout()), "ergate.worker.poll-timeout", worker.getPollTimeout(),
                "it must be positive");
        require(!worker.getDrainTimeout().isNegative(), "ergate.worker.drain-timeout", worker.getDrainTimeout(),
                "it must not be negative");
        require(worker.getAfterStepStatus() == JobStatus.QUEUED || worker.getAfterStepStatus() == JobStatus.PENDING,
                "ergate.worker.after-step-status", worker.getAfterStepStatus(), "it must be QUEUED or PENDING");
        require(worker.getMaxDeliveries() >= 1, "ergate.worker.max-deliveries", worker.getMaxDeliveries(),
                "it must be at least 1");
        require(positive(worker.getBackendRetry().getInitialDelay()), "ergate.worker.backend-retry.initial-delay",
                worker.getBackendRetry().getInitialDelay(), "it must be positive");
        require(worker.getBackendRetry().getAttempts() >= 1, "ergate.worker.backend-retry.attempts",
                worker.getBackendRetry().getAttempts(), "it must be at least 1");
        require(retry.getMaxAttempts() >= 1, "ergate.retry.max-attempts", retry.getMaxAttempts(),
                "it must be at least 1 (1: no retry)");
        require(!retry.getInitialDelay().isNegative(), "ergate.retry.initial-delay", retry.getInitialDelay(),
                "it must not be negative");
        require(retry.getMultiplier() >= 1.0 && !Double.isInfinite(retry.getMultiplier()), "ergate.retry.multiplier",
                retry.getMultiplier(), "it must be at least 1");
        require(retry.getJitter() >= 0.0 && retry.getJitter() <= 1.0, "ergate.retry.jitter", retry.getJitter(),
                "it must be within 0..1");
        require(redis.getPoolSize() == null || redis.getPoolSize() >= 1, "ergate.redis.pool-size", redis.getPoolSize(),
                "it must be at least 1");
        require(postgres.getPoolSize() == null || postgres.getPoolSize() >= 1, "ergate.postgres.pool-size",
                postgres.getPoolSize(), "it must be at least 1");
        Worker.BackendRetry backendRetry = worker.getBackendRetry();
        if (backendRetry.getMaxDelay().compareTo(backendRetry.getInitialDelay()) < 0) {
            throw new InvalidConfigurationPropertyValueException("ergate.worker.backend-retry.max-delay",
                    backendRetry.getMaxDelay(), "it must not be shorter than ergate.worker.backend-retry.initial-delay ("
                            + backendRetry.getInitialDelay() + ")");
        }
        if (retry.getMaxDelay().compareTo(retry.getInitialDelay()) < 0) {
            throw new InvalidConfigurationPropertyValueException("ergate.retry.max-delay", retry.getMaxDelay(),
                    "it must not be shorter than ergate.retry.initial-delay (" + retry.getInitialDelay() + ")");
        }
        require(dashboard.getPort() >= 0 && dashboard.getPort() <= 65535, "ergate.dashboard.port", dashboard.getPort(),
                "it must be within 0..65535 (0: any free port)");
        require((dashboard.getBasicUser() == null) == (dashboard.getBasicPassword() == null),
                "ergate.dashboard.basic-user", dashboard.getBasicUser(),
                "set ergate.dashboard.basic-user and ergate.dashboard.basic-password together");
        if (backend == Backend.SQS && (sqs.getUri() == null || sqs.getUri().isBlank())) {
            throw new InvalidConfigurationPropertyValueException("ergate.sqs.uri", sqs.getUri(),
                    "ergate.backend=sqs needs the queue, e.g. sqs://orders?region=eu-west-1 or a queue URL");
        }
        if (backend == Backend.SQS && sqs.getStore() == null) {
            throw new InvalidConfigurationPropertyValueException("ergate.sqs.store", null,
                    "ergate.backend=sqs needs a job store: postgres, redis or memory (SQS keeps no job state)");
        }
    }

    /** The worker: ergate.worker.*. */
    public static class Worker {

        /** Run a worker in this application; false makes a client-only application (it submits and looks up jobs). */
        private boolean enabled = true;

        /** Steps run at once, one thread each (1 to 1024); default max(2, CPU cores). */
        private @Nullable Integer concurrency;

        /** The longest one take from the queue blocks; also bounds how fast a stop is noticed. */
        private Duration pollTimeout = Duration.ofSeconds(1);

        /**
         * How long running steps get to finish when the application stops; 25s so that the drain
         * ends within Spring's spring.lifecycle.timeout-per-shutdown-phase (30s): keep that above it.
         */
        private Duration drainTimeout = Duration.ofSeconds(25);

        /** The status written after a step that did not end the job: QUEUED (the worker re-queues) or PENDING (a publisher does). */
        private JobStatus afterStepStatus = JobStatus.QUEUED;

        /** Past this many deliveries of one message the job is FAILED and dead-lettered. */
        private int maxDeliveries = 10;

        /** Start each step through the store's startStep, which honours cancel requests. */
        private boolean checkCancellation = true;

        private final BackendRetry backendRetry = new BackendRetry();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable Integer getConcurrency() {
            return concurrency;
        }

        public void setConcurrency(@Nullable Integer concurrency) {
            this.concurrency = concurrency;
        }

        public Duration getPollTimeout() {
            return pollTimeout;
        }

        public void setPollTimeout(Duration pollTimeout) {
            this.pollTimeout = pollTimeout;
        }

        public Duration getDrainTimeout() {
            return drainTimeout;
        }

        public void setDrainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
        }

        public JobStatus getAfterStepStatus() {
            return afterStepStatus;
        }

        public void setAfterStepStatus(JobStatus afterStepStatus) {
            this.afterStepStatus = afterStepStatus;
        }

        public int getMaxDeliveries() {
            return maxDeliveries;
        }

        public void setMaxDeliveries(int maxDeliveries) {
            this.maxDeliveries = maxDeliveries;
        }

        public boolean isCheckCancellation() {
            return checkCancellation;
        }

        public void setCheckCancellation(boolean checkCancellation) {
            this.checkCancellation = checkCancellation;
        }

        public BackendRetry getBackendRetry() {
            return backendRetry;
        }

        /** How the worker retries a failed state write, put or ack: ergate.worker.backend-retry.*. */
        public static class BackendRetry {

            /** The first wait after a transient backend failure. */
            private Duration initialDelay = Duration.ofMillis(100);

            /** The longest wait between backend retries. */
            private Duration maxDelay = Duration.ofSeconds(30);

            /** Tries of one state write, put or ack before the delivery goes back to the queue. */
            private int attempts = 8;

            public Duration getInitialDelay() {
                return initialDelay;
            }

            public void setInitialDelay(Duration initialDelay) {
                this.initialDelay = initialDelay;
            }

            public Duration getMaxDelay() {
                return maxDelay;
            }

            public void setMaxDelay(Duration maxDelay) {
                this.maxDelay = maxDelay;
            }

            public int getAttempts() {
                return attempts;
            }

            public void setAttempts(int attempts) {
                this.attempts = attempts;
            }
        }
    }

    /**
     * The retry policy of every workflow that has none of its own (@Retry or
     * Workflow.Builder.retryPolicy): ergate.retry.*. Off (one attempt) by default, as in Python Ergate.
     */
    public static class Retry {

        /** Tries of a failing step, the first included; 1 means no retry. */
        private int maxAttempts = 1;

        /** The wait before the second try. */
        private Duration initialDelay = Duration.ofSeconds(1);

        /** Each wait is the previous one times this (at least 1). */
        private double multiplier = 2.0;

        /** The longest wait between tries. */
        private Duration maxDelay = Duration.ofMinutes(5);

        /** Random spread of each wait, 0 (none) to 1 (up to the whole wait). */
        private double jitter = 0.2;

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getInitialDelay() {
            return initialDelay;
        }

        public void setInitialDelay(Duration initialDelay) {
            this.initialDelay = initialDelay;
        }

        public double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        public Duration getMaxDelay() {
            return maxDelay;
        }

        public void setMaxDelay(Duration maxDelay) {
            this.maxDelay = maxDelay;
        }

        public double getJitter() {
            return jitter;
        }

        public void setJitter(double jitter) {
            this.jitter = jitter;
        }
    }

    /** The Redis backend: ergate.redis.*. */
    public static class Redis {

        /** The server: redis[s]://[[user]:password@]host[:port][/database]. */
        private String uri = "redis://127.0.0.1:6379";

        /** The prefix of every key Ergate writes (its hash tag in a cluster). */
        private String namespace = "ergate";

        /** The queue's name within the namespace. */
        private String queue = "jobs";

        /** Connections in the pool; default the worker's concurrency plus 8, at least 32. */
        private @Nullable Integer poolSize;

        public String getUri() {
            return uri;
        }

        public void setUri(String uri) {
            this.uri = uri;
        }

        public String getNamespace() {
            return namespace;
        }

        public void setNamespace(String namespace) {
            this.namespace = namespace;
        }

        public String getQueue() {
            return queue;
        }

        public void setQueue(String queue) {
            this.queue = queue;
        }

        public @Nullable Integer getPoolSize() {
            return poolSize;
        }

        public void setPoolSize(@Nullable Integer poolSize) {
            this.poolSize = poolSize;
        }
    }

    /** The PostgreSQL backend: ergate.postgres.*. */
    public static class Postgres {

        /**
         * A database of Ergate's own (jdbc:postgresql://... or postgres://user:pw@host/db), with a
         * pool Ergate owns; unset: the application's DataSource.
         */
        private @Nullable String uri;

        /** The schema of Ergate's tables (created if missing); unset: the connection's current schema. */
        private @Nullable String schema;

        /** The prefix of every table name: up to 24 of [a-z0-9_], may be empty. */
        private String tablePrefix = "ergate_";

        /**
         * Apply missing schema migrations at start-up (advisory-locked); false for teams that run the
         * SQL under dev/ergate/jdbc/migrations/ with Flyway or Liquibase.
         */
        private boolean migrateOnStart = true;

        /** Record every job transition in the history table. */
        private boolean recordHistory = true;

        /** The queue's name (many queues share one table). */
        private String queue = "default";

        /** Connections in Ergate's own pool, used only with ergate.postgres.uri; default the worker's concurrency plus 4. */
        private @Nullable Integer poolSize;

        public @Nullable String getUri() {
            return uri;
        }

        public void setUri(@Nullable String uri) {
            this.uri = uri;
        }

        public @Nullable String getSchema() {
            return schema;
        }

        public void setSchema(@Nullable String schema) {
            this.schema = schema;
        }

        public String getTablePrefix() {
            return tablePrefix;
        }

        public void setTablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
        }

        public boolean isMigrateOnStart() {
            return migrateOnStart;
        }

        public void setMigrateOnStart(boolean migrateOnStart) {
            this.migrateOnStart = migrateOnStart;
        }

        public boolean isRecordHistory() {
            return recordHistory;
        }

        public void setRecordHistory(boolean recordHistory) {
            this.recordHistory = recordHistory;
        }

        public String getQueue() {
            return queue;
        }

        public void setQueue(String queue) {
            this.queue = queue;
        }

        public @Nullable Integer getPoolSize() {
            return poolSize;
        }

        public void setPoolSize(@Nullable Integer poolSize) {
            this.poolSize = poolSize;
        }
    }

    /** The SQS backend: ergate.sqs.*. */
    public static class Sqs {

        /**
         * The queue: sqs://NAME?region=...&create=true, or its URL (http://host:port/ACCOUNT/NAME);
         * credentials come from the AWS default chain, never from this string.
         */
        private @Nullable String uri;

        /** Where job states are kept: postgres, redis or memory. */
        private @Nullable SqsStore store;

        public @Nullable String getUri() {
            return uri;
        }

        public void setUri(@Nullable String uri) {
            this.uri = uri;
        }

        public @Nullable SqsStore getStore() {
            return store;
        }

        public void setStore(@Nullable SqsStore store) {
            this.store = store;
        }
    }

    /** The dashboard (ergate-dashboard): ergate.dashboard.*. */
    public static class Dashboard {

        /** Start the dashboard with the application (needs dev.ergate:ergate-dashboard and a backend with a JobAdmin). */
        private boolean enabled;

        /** The address it listens on; 127.0.0.1 is this machine only (set a token or basic auth before opening it wider). */
        private String host = "127.0.0.1";

        /** Its port, apart from the application's server.port; 0 picks a free one. */
        private int port = 8081;

        /** Clients send "Authorization: Bearer TOKEN"; a browser opens /?token=TOKEN once. */
        private @Nullable String token;

        /** The user of HTTP basic auth (with basic-password). */
        private @Nullable String basicUser;

        /** The password of HTTP basic auth (with basic-user). */
        private @Nullable String basicPassword;

        /** Refuse every action (cancel, retry, delete, requeue, purge) and show no buttons. */
        private boolean readOnly;

        /** The title of its pages. */
        private String title = "Ergate";

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public @Nullable String getToken() {
            return token;
        }

        public void setToken(@Nullable String token) {
            this.token = token;
        }

        public @Nullable String getBasicUser() {
            return basicUser;
        }

        public void setBasicUser(@Nullable String basicUser) {
            this.basicUser = basicUser;
        }

        public @Nullable String getBasicPassword() {
            return basicPassword;
        }

        public void setBasicPassword(@Nullable String basicPassword) {
            this.basicPassword = basicPassword;
        }

        public boolean isReadOnly() {
            return readOnly;
        }

        public void setReadOnly(boolean readOnly) {
            this.readOnly = readOnly;
        }

        public String getTitle() {
            return title;
        }

        public void setTitle(String title) {
            this.title = title;
        }
    }

    private static void require(boolean ok, String property, @Nullable Object value, String reason) {
        if (!ok) {
            throw new InvalidConfigurationPropertyValueException(property, value, reason);
        }
    }

    private static boolean positive(Duration value) {
        return !value.isZero() && !value.isNegative();
    }
}
