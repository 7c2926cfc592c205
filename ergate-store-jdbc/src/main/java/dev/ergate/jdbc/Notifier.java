package dev.ergate.jdbc;

import dev.ergate.internal.DaemonThreads;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the {@code NOTIFY}s that wake other processes' idle takers after step finishes, from a
 * thread of its own, so a finishing worker does not wait for one more round trip. Requests that
 * arrive while a notification is being sent are combined into the next one: one {@code NOTIFY}
 * per queue and round, however many steps were put meanwhile (a taker only needs to know that
 * there is something to claim, not how much).
 *
 * <p>A notification is sent after the commit that made the rows visible, never before. If one
 * is lost (the connection fails), the takers still find the rows within their poll interval.
 *
 * <p>Thread-safe: any thread requests, one daemon thread sends.
 */
final class Notifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    private static final String SQL = "select count(pg_notify(?, q)) from unnest(cast(? as text[])) as q";

    private final DataSource dataSource;
    private final String channel;
    private final Thread thread;
    private final Set<String> pending = new LinkedHashSet<>();
    private boolean closed;

    Notifier(DataSource dataSource, String channel, String threadName) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.thread = DaemonThreads.newThread(threadName, this::run);
        this.thread.start();
    }

    /** Asks for one notification naming {@code queueName} to be sent soon. */
    void request(String queueName) {
        synchronized (pending) {
            if (pending.add(queueName)) {
                pending.notifyAll();
            }
        }
    }

    private void run() {
        while (true) {
            String[] queues;
            synchronized (pending) {
                while (pending.isEmpty() && !closed) {
                    try {
                        pending.wait();
                    } catch (InterruptedException e) {
                        closed = true;
                    }
                }
                if (pending.isEmpty()) {
                    return;
                }
                queues = pending.toArray(new String[0]);
                pending.clear();
            }
            send(queues);
        }
    }

    private void send(String[] queues) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(SQL)) {
            statement.setString(1, channel);
            statement.setArray(2, connection.createArrayOf("text", queues));
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("NOTIFY on channel '{}' failed; takers find the jobs by polling", channel, e);
        }
    }

    /** Sends what is pending, then stops the thread (waiting up to two seconds for it). */
    @Override
    public void close() {
        synchronized (pending) {
            closed = true;
            pending.notifyAll();
        }
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
