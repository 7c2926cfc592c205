package dev.ergate.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned SQL files under {@code dev/ergate/jdbc/migrations/} that the database
 * lacks, in order, in one transaction, under a transaction-scoped advisory lock: two workers
 * starting at once serialize on the lock, and the second finds nothing left to do.
 *
 * <p>Thread-safe (stateless apart from its configuration).
 */
final class Migrator {

    private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);

    /** First key of the advisory lock: "ERGT". */
    private static final int LOCK_NAMESPACE = 0x45524754;

    record Migration(int version, String description, String resource) {
    }

    /** Every migration this version knows, oldest first. */
    static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "jobs, history, queue and dead letters", "V1__jobs_history_queue.sql"),
            new Migration(2, "admin leases", "V2__admin_leases.sql"),
            new Migration(3, "queue priorities, unique keys, storage settings",
                    "V3__priorities_unique_keys_churn.sql"),
            new Migration(4, "recurring schedules", "V4__schedules.sql"),
            new Migration(5, "NOTIFY on final job states", "V5__final_state_notify.sql"),
            new Migration(6, "queue rows record the job version they carry", "V6__queue_job_version.sql"),
            new Migration(7, "step writes are HOT updates: no index names a column a step changes",
                    "V7__hot_step_writes.sql"),
            new Migration(8, "final-state NOTIFY only while a notifier is registered as listening",
                    "V8__final_notify_while_listened.sql"));

    static final int LATEST = MIGRATIONS.get(MIGRATIONS.size() - 1).version();

    private final Tables tables;

    Migrator(Tables tables) {
        this.tables = tables;
    }

    /**
     * @return the versions applied by this call (empty when the schema was up to date)
     * @throws IllegalStateException if the database holds a newer schema than this code knows
     */
    List<Integer> migrate(Jdbi jdbi) throws SQLException {
        return migrate(jdbi, LATEST);
    }

    /**
     * Applies the migrations up to {@code upTo} only: how the tests build an older schema to
     * upgrade.
     */
    List<Integer> migrate(Jdbi jdbi, int upTo) throws SQLException {
        return jdbi.inTransaction(handle -> {
            handle.createQuery("select pg_advisory_xact_lock(:ns, hashtext(:name))")
                    .bind("ns", LOCK_NAMESPACE)
                    .bind("name", tables.lockName())
                    .mapTo(String.class)
                    .one();
            if (tables.schema() != null) {
                execute(handle, "create schema if not exists " + Tables.quote(tables.schema()));
            }
            execute(handle, tables.render("create table if not exists {version} ("
                    + "version integer not null, description text not null, applied_at timestamptz not null, "
                    + "constraint \"${p}schema_version_pk\" primary key (version))"));
            int current = handle.createQuery(tables.render("select coalesce(max(version), 0) from {version}"))
                    .mapTo(Integer.class)
                    .one();
            if (current > LATEST) {
                throw new IllegalStateException("the Ergate tables " + tables + " are at schema version "
                        + current + ", newer than this ergate-store-jdbc knows (" + LATEST
                        + "): upgrade ergate-store-jdbc");
            }
            List<Integer> applied = new java.util.ArrayList<>();
            for (Migration migration : MIGRATIONS) {
                if (migration.version() <= current || migration.version() > upTo) {
                    continue;
                }
                execute(handle, tables.render(load(migration.resource())));
                handle.createUpdate(tables.render(
                                "insert into {version} (version, description, applied_at) values (:v, :d, :t)"))
                        .bind("v", migration.version())
                        .bind("d", migration.description())
                        .bind("t", OffsetDateTime.now(ZoneOffset.UTC))
                        .execute();
                applied.add(migration.version());
                LOG.info("Applied Ergate schema version {} ({}) to {}", migration.version(),
                        migration.description(), tables);
            }
            return applied;
        });
    }

    /** Runs DDL through a plain statement, so nothing in it is parsed as a bind parameter. */
    private static void execute(Handle handle, String sql) throws SQLException {
        Connection connection = handle.getConnection();
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static String load(String resource) {
        try (InputStream in = Migrator.class.getResourceAsStream("migrations/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("migration " + resource + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading migration " + resource, e);
        }
    }
}
