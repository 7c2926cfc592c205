package dev.ergate.redis;

import dev.ergate.JobCodec;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link RedisBackend} connects: the server's URI, the connection pool, timeouts, the
 * namespace (hash tag) of every key, the job codec and the clock. Immutable and thread-safe.
 *
 * <pre>{@code
 * RedisOptions options = RedisOptions.builder()
 *         .uri("rediss://worker:secret@redis.example.com:6380/2")
 *         .namespace("billing")
 *         .poolSize(24)
 *         .build();
 * }</pre>
 */
public final class RedisOptions {

    /** The URI used when none is given. */
    public static final String DEFAULT_URI = "redis://127.0.0.1:6379";
    /** The namespace used when none is given. */
    public static final String DEFAULT_NAMESPACE = "ergate";

    private static final RedisOptions DEFAULTS = builder().build();

    private final String uri;
    private final RedisUri parsedUri;
    private final String namespace;
    private final int poolSize;
    private final Duration connectTimeout;
    private final Duration socketTimeout;
    private final Duration poolWait;
    private final String clientName;
    private final boolean cluster;
    private final @Nullable Path trustStore;
    private final @Nullable String trustStorePassword;
    private final JobCodec codec;
    private final Clock clock;

    private RedisOptions(Builder b) {
        this.uri = b.uri;
        this.parsedUri = RedisUri.parse(b.uri);
        this.namespace = b.namespace;
        this.poolSize = b.poolSize;
        this.connectTimeout = b.connectTimeout;
        this.socketTimeout = b.socketTimeout;
        this.poolWait = b.poolWait;
        this.clientName = b.clientName;
        this.cluster = b.cluster || parsedUri.cluster();
        this.trustStore = b.trustStore;
        this.trustStorePassword = b.trustStorePassword;
        this.codec = b.codec;
        this.clock = b.clock;
    }

    /**
     * @return {@value #DEFAULT_URI}, namespace {@value #DEFAULT_NAMESPACE}, up to 32 connections
     *     (opened as needed), 2 s connect and 5 s socket timeouts, 5 s pool wait, the standard
     *     codec, the system clock
     */
    public static RedisOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param uri {@code redis[s]://[[user]:password@]host[:port][/database]}
     * @return the defaults with this URI
     * @throws IllegalArgumentException if the URI is not a Redis URI
     */
    public static RedisOptions fromUri(String uri) {
        return builder().uri(uri).build();
    }

    /** {@return a builder starting from {@link #defaults()}} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these options} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@return the server's URI as given (it may hold a password: don't log it; see {@link #toString()})} */
    public String uri() {
        return uri;
    }

    RedisUri parsedUri() {
        return parsedUri;
    }

    /** {@return the namespace: every key starts with the hash tag {@code {namespace}}} */
    public String namespace() {
        return namespace;
    }

    /** {@return the most connections open at once; each blocked {@code take} holds one} */
    public int poolSize() {
        return poolSize;
    }

    /** {@return how long connecting to the server may take} */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** {@return how long one command (not counting a blocking wait) may take} */
    public Duration socketTimeout() {
        return socketTimeout;
    }

    /** {@return how long a caller waits for a free pooled connection before failing} */
    public Duration poolWait() {
        return poolWait;
    }

    /** {@return the name the connections give themselves ({@code CLIENT SETNAME})} */
    public String clientName() {
        return clientName;
    }

    /**
     * @return true when the URI names one node of a Redis Cluster: the client finds the other
     *     nodes itself and sends each namespace's commands to the node that owns its slot
     */
    public boolean cluster() {
        return cluster;
    }

    /**
     * @return the trust store (JKS or PKCS#12 file) that {@code rediss://} checks the server's
     *     certificate against, or {@code null} for the JVM's default trust store
     */
    public @Nullable Path trustStore() {
        return trustStore;
    }

    /** {@return the trust store's password, or {@code null} for none} */
    @Nullable String trustStorePassword() {
        return trustStorePassword;
    }

    /** {@return how jobs are written to and read from Redis} */
    public JobCodec codec() {
        return codec;
    }

    /** {@return the clock for delays, leases and retention} */
    public Clock clock() {
        return clock;
    }

    /** {@return the options, with the URI's password hidden} */
    @Override
    public String toString() {
        return "RedisOptions[uri=" + parsedUri + (cluster ? " (cluster)" : "") + ", namespace=" + namespace
                + ", poolSize=" + poolSize
                + ", connectTimeout=" + connectTimeout + ", socketTimeout=" + socketTimeout
                + ", poolWait=" + poolWait + "]";
    }

    /** Builds {@link RedisOptions}; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder {
        private String uri = DEFAULT_URI;
        private String namespace = DEFAULT_NAMESPACE;
        private int poolSize = 32;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration socketTimeout = Duration.ofSeconds(5);
        private Duration poolWait = Duration.ofSeconds(5);
        private String clientName = "ergate";
        private boolean cluster;
        private @Nullable Path trustStore;
        private @Nullable String trustStorePassword;
        private JobCodec codec = JobCodec.standard();
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        private Builder(RedisOptions o) {
            this.uri = o.uri;
            this.namespace = o.namespace;
            this.poolSize = o.poolSize;
            this.connectTimeout = o.connectTimeout;
            this.socketTimeout = o.socketTimeout;
            this.poolWait = o.poolWait;
            this.clientName = o.clientName;
            this.cluster = o.cluster;
            this.trustStore = o.trustStore;
            this.trustStorePassword = o.trustStorePassword;
            this.codec = o.codec;
            this.clock = o.clock;
        }

        /**
         * @param uri {@code redis[s]://[[user]:password@]host[:port][/database]}; {@code rediss}
         *     means TLS
         */
        public Builder uri(String uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
            return this;
        }

        /**
         * @param namespace the hash tag of every key: not empty, without braces. Queues and a
         *     store share a namespace to finish steps atomically.
         */
        public Builder namespace(String namespace) {
            this.namespace = Objects.requireNonNull(namespace, "namespace");
            return this;
        }

        /** @param poolSize the most connections open at once, at least 2 */
        public Builder poolSize(int poolSize) {
            this.poolSize = poolSize;
            return this;
        }

        /** @param connectTimeout positive, at most 1 hour */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /** @param socketTimeout positive, at most 1 hour */
        public Builder socketTimeout(Duration socketTimeout) {
            this.socketTimeout = Objects.requireNonNull(socketTimeout, "socketTimeout");
            return this;
        }

        /** @param poolWait positive, at most 1 hour */
        public Builder poolWait(Duration poolWait) {
            this.poolWait = Objects.requireNonNull(poolWait, "poolWait");
            return this;
        }

        /** @param clientName the connections' name, shown by {@code CLIENT LIST}; no spaces */
        public Builder clientName(String clientName) {
            this.clientName = Objects.requireNonNull(clientName, "clientName");
            return this;
        }

        /**
         * @param cluster true when the URI names a node of a Redis Cluster (database 0 only);
         *     the pool size then applies per node
         */
        public Builder cluster(boolean cluster) {
            this.cluster = cluster;
            return this;
        }

        /**
         * @param trustStore a JKS or PKCS#12 file holding the certificates {@code rediss://}
         *     trusts (the server's, or its CA's); {@code null} for the JVM's default trust store
         * @param password the file's password, or {@code null} for none
         */
        public Builder trustStore(@Nullable Path trustStore, @Nullable String password) {
            this.trustStore = trustStore;
            this.trustStorePassword = password;
            return this;
        }

        /** @param codec how jobs are written and read; {@link JobCodec#standard()} by default */
        public Builder codec(JobCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /** @param clock the clock for delays, leases and retention; system UTC by default */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException naming the setting, if one is out of range
         */
        public RedisOptions build() {
            if (namespace.isEmpty() || namespace.indexOf('{') >= 0 || namespace.indexOf('}') >= 0) {
                throw new IllegalArgumentException(
                        "namespace must be non-empty and hold no '{' or '}' (it becomes the keys' hash tag), got '"
                                + namespace + "'");
            }
            if (poolSize < 2) {
                throw new IllegalArgumentException("poolSize must be at least 2, got " + poolSize);
            }
            checkTimeout("connectTimeout", connectTimeout);
            checkTimeout("socketTimeout", socketTimeout);
            checkTimeout("poolWait", poolWait);
            if (trustStore != null && !RedisUri.parse(uri).tls()) {
                throw new IllegalArgumentException("a trustStore is only used with TLS: use a rediss:// URI, got "
                        + RedisUri.parse(uri));
            }
            if (clientName.isEmpty() || clientName.chars().anyMatch(c -> c <= ' ')) {
                throw new IllegalArgumentException(
                        "clientName must be non-empty and hold no spaces, got '" + clientName + "'");
            }
            RedisOptions options = new RedisOptions(this);
            if (cluster && options.parsedUri.database() != 0) {
                throw new IllegalArgumentException("a Redis Cluster has database 0 only, but the URI "
                        + options.parsedUri + " names database " + options.parsedUri.database());
            }
            return options;
        }

        private static void checkTimeout(String name, Duration value) {
            if (value.isNegative() || value.isZero() || value.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException(name + " must be positive and at most 1 hour, got " + value);
            }
        }
    }
}
