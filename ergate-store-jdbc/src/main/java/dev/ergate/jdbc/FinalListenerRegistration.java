package dev.ergate.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

/**
 * One {@link JdbcFinalStateNotifier}'s row in the registry of listening notifiers (schema version
 * 8): the final-state trigger NOTIFYs only while some row has not expired. The notifier writes it
 * before it LISTENs, moves its expiry forward every {@link #HEARTBEAT} from the listening
 * connection, and deletes it on close; a row nobody refreshes (a crashed process, a dead
 * connection) stops counting after {@link #TIME_TO_LIVE}. Times are the database's ({@code now()}),
 * as the trigger's comparison is.
 *
 * <p>Immutable and thread-safe; each call runs one autocommit statement on the given connection.
 */
final class FinalListenerRegistration {

    /** How often the listening connection refreshes the row; also its health check. */
    static final Duration HEARTBEAT = Duration.ofSeconds(10);
    /** How long a row counts without a refresh: six heartbeats, so a slow one or two do not lapse it. */
    static final Duration TIME_TO_LIVE = Duration.ofSeconds(60);

    private final String id = UUID.randomUUID().toString();
    private final String owner;
    private final String upsert;
    private final String delete;
    private final Duration timeToLive;

    FinalListenerRegistration(Tables tables, String owner, Duration timeToLive) {
        this.owner = owner;
        this.timeToLive = timeToLive;
        this.upsert = "insert into " + tables.finalListeners() + " (id, owner, expires_at)"
                + " values (?, ?, now() + ? * interval '1 millisecond')"
                + " on conflict (id) do update set expires_at = excluded.expires_at";
        this.delete = "delete from " + tables.finalListeners() + " where id = ?";
    }

    /** {@return the row's id (a random UUID per notifier)} */
    String id() {
        return id;
    }

    /** Writes the row, or moves its expiry to {@code now() + timeToLive}; commits at once. */
    void register(Connection autoCommit) throws SQLException {
        try (PreparedStatement statement = autoCommit.prepareStatement(upsert)) {
            statement.setString(1, id);
            statement.setString(2, owner);
            statement.setLong(3, timeToLive.toMillis());
            statement.executeUpdate();
        }
    }

    /** Deletes the row; commits at once. */
    void remove(Connection autoCommit) throws SQLException {
        try (PreparedStatement statement = autoCommit.prepareStatement(delete)) {
            statement.setString(1, id);
            statement.executeUpdate();
        }
    }
}
