package dev.ergate.jdbc;

import dev.ergate.spi.ErgateBackendException;
import dev.ergate.spi.JobQueue;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.TemplateEngine;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ergate on PostgreSQL: owns the schema and hands out the {@link #store() store}, {@link #queue()
 * queues} and {@link #jobSource() publisher source} sharing one {@link DataSource} (yours, with a
 * connection per worker thread plus one for {@code LISTEN}, or a HikariCP pool {@link
 * #connect(String, JdbcOptions)} builds). Thread-safe.
 *
 * <pre>{@code
 * JdbcBackend pg = JdbcBackend.create(hikariDataSource, JdbcOptions.defaults()); // migrates
 * JdbcJobStore store = pg.store();
 * JdbcJobQueue queue = pg.queue();
 * // worker: queue + store; queue.atomicStepFinish(store) makes step transitions one transaction
 * }</pre>
 */
public final class JdbcBackend implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcBackend.class);

    private final DataSource dataSource;
    /** The caller's connections, auto-commit on whatever the pool's default: every use here goes through it. */
    private final DataSource connections;
    /** The HikariCP pool that {@link #connect} built, closed with the backend. */
    private final @Nullable DataSource ownedPool;
    private final String description;
    private final JdbcOptions options;
    private final Tables tables;
    private final Jdbi jdbi;
    private final JdbcJobStore store;
    private @Nullable Listener listener;
    private @Nullable Notifier notifier;
    private volatile boolean closed;

    private JdbcBackend(DataSource dataSource, @Nullable DataSource ownedPool, JdbcOptions options,
            String where) {
        this.dataSource = dataSource;
        this.connections = new AutoCommitDataSource(dataSource);
        this.ownedPool = ownedPool;
        this.options = options;
        this.tables = new Tables(options.schema(), options.tablePrefix());
        this.jdbi = Jdbi.create(connections);
        this.jdbi.setTemplateEngine(TemplateEngine.NOP);
        this.store = new JdbcJobStore(this);
        this.description = where + ", tables " + tables;
    }

    /**
     * @param dataSource where connections come from (the caller keeps owning it)
     * @param options table names and queue settings
     * @return the backend; its tables are migrated first when {@link JdbcOptions#migrateOnStart()}
     * @throws ErgateBackendException if the migration fails
     */
    public static JdbcBackend create(DataSource dataSource, JdbcOptions options) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(options, "options");
        JdbcBackend backend = new JdbcBackend(dataSource, null, options, "via " + dataSource.getClass().getSimpleName());
        if (options.migrateOnStart()) {
            backend.migrate();
        }
        return backend;
    }

    /**
     * @param dataSource where connections come from
     * @return the backend with {@link JdbcOptions#defaults()}
     */
    public static JdbcBackend create(DataSource dataSource) {
        return create(dataSource, JdbcOptions.defaults());
    }

    /**
     * Builds a HikariCP pool of {@link JdbcOptions#poolSize()} connections for the URL, owned
     * (and closed) by the backend. The simplest way to get a queue and store from one string.
     *
     * @param url {@code jdbc:postgresql://host:port/db?user=...}, or {@code
     *     postgres://user:password@host:port/db}
     * @param options table names, queue settings and pool size
     * @return the backend, migrated when {@link JdbcOptions#migrateOnStart()}
     * @throws IllegalArgumentException if the URL is malformed
     * @throws ErgateBackendException if the database can't be reached or migrated
     */
    public static JdbcBackend connect(String url, JdbcOptions options) {
        Objects.requireNonNull(options, "options");
        PostgresUrl parsed = PostgresUrl.parse(url);
        if (!HikariPools.available()) {
            throw new IllegalStateException("JdbcBackend.connect(url) pools connections with HikariCP, which is not on "
                    + "the class path: add com.zaxxer:HikariCP to your dependencies, or pass your own DataSource "
                    + "to JdbcBackend.create(dataSource, options)");
        }
        DataSource pool;
        try {
            pool = HikariPools.open(parsed, options.poolSize());
        } catch (RuntimeException e) {
            throw new ErgateBackendException("PostgreSQL: can't connect to " + PostgresUrl.redact(url) + ": "
                    + e.getMessage(), e, true);
        }
        try {
            JdbcBackend backend = new JdbcBackend(pool, pool, options, PostgresUrl.redact(parsed.jdbcUrl()));
            if (options.migrateOnStart()) {
                backend.migrate();
            }
            return backend;
        } catch (RuntimeException e) {
            HikariPools.close(pool);
            throw e;
        }
    }

    /**
     * @param url as {@link #connect(String, JdbcOptions)}
     * @return the backend with {@link JdbcOptions#defaults()}
     */
    public static JdbcBackend connect(String url) {
        return connect(url, JdbcOptions.defaults());
    }

    /**
     * Applies the schema migrations the database lacks. Idempotent, and safe when several
     * processes call it at once (they take turns on an advisory lock).
     *
     * @return the versions applied now; empty when the schema was up to date
     * @throws ErgateBackendException if PostgreSQL fails, or its schema is newer than this code
     */
    public List<Integer> migrate() {
        try {
            return new Migrator(tables).migrate(jdbi);
        } catch (IllegalStateException e) {
            throw new ErgateBackendException("PostgreSQL: " + e.getMessage(), e, false);
        } catch (SQLException | RuntimeException e) {
            throw JdbcFailures.translate("migration of the Ergate tables " + tables, e);
        }
    }

    /** {@return the schema version this code migrates to} */
    public static int latestSchemaVersion() {
        return Migrator.LATEST;
    }

    /** {@return the job store (one per backend)} */
    public JdbcJobStore store() {
        return store;
    }

    /** {@return a queue named {@link JdbcOptions#queueName()} with {@link JdbcOptions#leaseTime()}} */
    public JdbcJobQueue queue() {
        return queue(options.queueName(), options.leaseTime());
    }

    /**
     * @param queueName the queue's name; queues of different names share the table but never
     *     each other's jobs
     * @param leaseTime how long a taken job stays leased; at least 1 s
     * @return the queue
     */
    public JdbcJobQueue queue(String queueName, Duration leaseTime) {
        Objects.requireNonNull(queueName, "queueName");
        Objects.requireNonNull(leaseTime, "leaseTime");
        if (queueName.isBlank() || queueName.length() > 200) {
            throw new IllegalArgumentException("queueName must be 1 to 200 characters and not blank, got '"
                    + queueName + "'");
        }
        if (leaseTime.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("leaseTime must be at least 1 s, got " + leaseTime);
        }
        return new JdbcJobQueue(this, queueName, leaseTime);
    }

    /**
     * @return the admin (DESIGN.md, "The admin SPI") of this backend's jobs and dead letters;
     *     retried jobs go to the queue named {@link JdbcOptions#queueName()}
     */
    public JdbcJobAdmin admin() {
        return new JdbcJobAdmin(this, store, options.queueName());
    }

    /**
     * @param retryQueue where retried jobs go: a queue of this backend (then the retry is one
     *     transaction) or of another (an SQS queue paired with this store)
     * @return the admin of this backend's jobs and dead letters
     */
    public JdbcJobAdmin admin(JobQueue retryQueue) {
        Objects.requireNonNull(retryQueue, "retryQueue");
        return new JdbcJobAdmin(this, store, retryQueue instanceof JdbcJobQueue jdbc && jdbc.backend() == this
                ? jdbc.name() : retryQueue);
    }

    /** {@return the store of recurring schedules and their tick claims (schema version 4)} */
    public JdbcScheduleStore schedules() {
        return new JdbcScheduleStore(this);
    }

    /** {@return a new publisher source: a distinct claimer of due jobs} */
    public JdbcJobSource jobSource() {
        return new JdbcJobSource(this);
    }

    /** {@return the connections' source} */
    public DataSource dataSource() {
        return dataSource;
    }

    /** {@return the connections the adapter uses: the caller's, with auto-commit on} */
    DataSource connections() {
        return connections;
    }

    /** {@return the options} */
    public JdbcOptions options() {
        return options;
    }

    Jdbi jdbi() {
        return jdbi;
    }

    Tables tables() {
        return tables;
    }

    synchronized Listener listener() {
        if (closed) {
            throw new IllegalStateException("JdbcBackend " + tables + " is closed");
        }
        if (listener == null) {
            listener = new Listener(connections, tables.channel(), "ergate-pg-listen-" + tables.channel());
        }
        return listener;
    }

    /** {@return the sender of the NOTIFYs that follow step finishes (started on first use)} */
    synchronized Notifier notifier() {
        if (closed) {
            throw new IllegalStateException("JdbcBackend " + tables + " is closed");
        }
        if (notifier == null) {
            notifier = new Notifier(connections, tables.channel(), "ergate-pg-notify-" + tables.channel());
        }
        return notifier;
    }

    void checkCapacity(int concurrentTakers) {
        Integer poolSize = maximumPoolSize();
        if (poolSize == null) {
            return;
        }
        if (poolSize < 2) {
            throw new IllegalStateException("the connection pool has " + poolSize + " connection(s); Ergate needs "
                    + "one for notifications and at least one for work: raise maximumPoolSize (JdbcOptions.poolSize)"
                    + " to " + (concurrentTakers + 1));
        }
        if (poolSize < concurrentTakers + 1) {
            LOG.info("Connection pool of {} for {} worker threads: threads will wait for connections at times; "
                    + "{} connections would avoid that", poolSize, concurrentTakers, concurrentTakers + 1);
        }
    }

    private @Nullable Integer maximumPoolSize() {
        try {
            if (HikariPools.available()) {
                return HikariPools.maximumPoolSize(dataSource);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Can't tell the pool size of {}", dataSource, e);
        }
        return null;
    }

    /**
     * Sends the notifications still pending, stops the notification listener and, when {@link
     * #connect} built it, closes the pool.
     */
    @Override
    public void close() {
        Listener toClose;
        Notifier notifierToClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = listener;
            listener = null;
            notifierToClose = notifier;
            notifier = null;
        }
        if (notifierToClose != null) {
            notifierToClose.close(); // sends what is pending while the pool is still open
        }
        if (toClose != null) {
            toClose.close();
        }
        if (ownedPool != null) {
            HikariPools.close(ownedPool);
        }
    }

    /**
     * @return where the backend works, for logs and banners: the URL without password when
     *     {@link #connect} built the pool, and the tables, such as {@code
     *     jdbc:postgresql://127.0.0.1:5432/test, tables "jobs".ergate_*}
     */
    @Override
    public String toString() {
        return description;
    }
}
