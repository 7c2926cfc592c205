package dev.ergate.jdbc;

import dev.ergate.internal.DaemonThreads;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one connection that {@code LISTEN}s on the backend's channel and wakes the idle takers
 * of the queue each notification names. When the connection breaks it wakes everyone (so they
 * look at the table themselves), reconnects with backoff, and wakes everyone again once it
 * listens, since notifications sent meanwhile are lost.
 *
 * <p>Thread-safe: one daemon thread runs it; takers register {@link Signal}s from any thread.
 */
final class Listener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);
    private static final int RECEIVE_TIMEOUT_MS = 500;
    private static final long HEALTH_CHECK_NANOS = 15_000_000_000L;
    private static final long MAX_BACKOFF_MS = 5_000;
    /** Gives the connection back to the pool now and then, so the pool can retire it (maxLifetime). */
    private static final long RECYCLE_NANOS = 10L * 60 * 1_000_000_000L;

    private final DataSource dataSource;
    private final String channel;
    private final Map<String, Signal> signals = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean listening;

    Listener(DataSource dataSource, String channel, String threadName) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.thread = DaemonThreads.newThread(threadName, this::run);
        this.thread.start();
    }

    /** {@return the signal the takers of {@code queueName} wait on} */
    Signal signal(String queueName) {
        return signals.computeIfAbsent(queueName, name -> new Signal());
    }

    /** {@return true while notifications arrive, false while the connection is being rebuilt} */
    boolean isListening() {
        return listening;
    }

    private void run() {
        long backoffMs = 100;
        boolean failing = false;
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                // returns after RECYCLE_NANOS to take a fresh connection (and wake everyone once)
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + Tables.quote(channel));
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                listening = true;
                if (failing) {
                    LOG.info("Listening on PostgreSQL channel '{}' again", channel);
                    failing = false;
                }
                backoffMs = 100;
                wakeAll(); // anything sent while we were not listening is lost: look again
                receive(connection, pg);
                // a pooled connection must not keep listening: nobody would read what it gets
                try (Statement statement = connection.createStatement()) {
                    statement.execute("UNLISTEN *");
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                wakeAll();
                if (!running) {
                    break;
                }
                if (!failing) {
                    LOG.warn("Lost the PostgreSQL notification connection for channel '{}' ({}); takers poll "
                            + "until it is back", channel, e.toString());
                    failing = true;
                } else {
                    LOG.debug("Reconnecting the notification connection failed", e);
                }
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException interrupted) {
                    break;
                }
                backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
            }
        }
        listening = false;
    }

    private void receive(Connection connection, PGConnection pg) throws SQLException {
        long lastCheck = System.nanoTime();
        long since = lastCheck;
        while (running && System.nanoTime() - since < RECYCLE_NANOS) {
            PGNotification[] notifications = pg.getNotifications(RECEIVE_TIMEOUT_MS);
            if (notifications != null && notifications.length > 0) {
                for (PGNotification notification : notifications) {
                    Signal signal = signals.get(notification.getParameter());
                    if (signal != null) {
                        signal.bump();
                    }
                }
                lastCheck = System.nanoTime();
            } else if (System.nanoTime() - lastCheck > HEALTH_CHECK_NANOS) {
                // a silently dead connection delivers nothing: check it now and then
                try (Statement statement = connection.createStatement()) {
                    statement.execute("select 1");
                }
                lastCheck = System.nanoTime();
            }
        }
    }

    private void wakeAll() {
        signals.values().forEach(Signal::bump);
    }

    /** Stops the thread and closes its connection; waits up to a second for it. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        wakeAll();
    }
}
