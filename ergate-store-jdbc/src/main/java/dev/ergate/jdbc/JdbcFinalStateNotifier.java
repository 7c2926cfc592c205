package dev.ergate.jdbc;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.internal.FinalStateFanOut;
import dev.ergate.internal.ListenerThread;
import dev.ergate.spi.FinalStateNotifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells subscribers when a job of a {@link JdbcJobStore} becomes final: a trigger of the jobs
 * table NOTIFYs the channel {@code <schema.><prefix>final} with the job's id at the commit of
 * every final write, and one thread per notifier {@code LISTEN}s on one pooled connection (from
 * the first subscription on; a fresh one every 10 minutes), so {@code ErgateClient.await} wakes at
 * once: {@code ErgateClient.builder(queue).store(store).finalStateNotifier(notifier)}.
 *
 * <p>The trigger notifies only while a notifier is registered as listening (schema version 8): this
 * one writes its row in {@code <prefix>final_listeners} before it LISTENs, refreshes it every 10 s
 * from the listening connection, and deletes it on {@link #close()}; an unrefreshed row lapses
 * after 60 s. A final write that commits while the notifier (re)connects may go unannounced,
 * which only delays a waiter to its next poll. Thread-safe.
 */
public final class JdbcFinalStateNotifier implements FinalStateNotifier, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcFinalStateNotifier.class);
    private static final int RECEIVE_TIMEOUT_MS = 500;
    private static final long HEARTBEAT_NANOS = FinalListenerRegistration.HEARTBEAT.toNanos();
    /** Gives the connection back to the pool now and then, so the pool can retire it (maxLifetime). */
    private static final long RECYCLE_NANOS = 10L * 60 * 1_000_000_000L;

    private final JdbcJobStore store;
    private final JdbcBackend backend;
    private final String channel;
    private final FinalStateFanOut fanOut;
    private final ListenerThread listenerThread;
    private final FinalListenerRegistration registration;

    private JdbcFinalStateNotifier(JdbcJobStore store) {
        this.store = store;
        this.backend = store.backend();
        this.channel = channelOf(backend.tables());
        this.registration = new FinalListenerRegistration(backend.tables(), backend.options().ownerName(),
                FinalListenerRegistration.TIME_TO_LIVE);
        this.fanOut = new FinalStateFanOut(store::find,
                e -> LOG.debug("{}: a final-state listener threw: {}", this, e.toString()));
        this.listenerThread = new ListenerThread("ergate-pg-final-" + channel, this::listen,
                e -> LOG.warn("{}: lost the notification connection ({}); waiters poll until it is back", this,
                        e.toString()),
                () -> LOG.info("{}: listening again", this));
    }

    /**
     * @param store the store whose final states to announce
     * @return a notifier; it listens once something subscribes, until {@link #close()}
     */
    public static JdbcFinalStateNotifier over(JdbcJobStore store) {
        return new JdbcFinalStateNotifier(Objects.requireNonNull(store, "store"));
    }

    /** {@return the channel of final states: the queue's wake-up channel with "final" for "wake"} */
    static String channelOf(Tables tables) {
        String wake = tables.channel();
        return wake.substring(0, wake.length() - "wake".length()) + "final";
    }

    /** {@return the channel the jobs table's trigger notifies final job ids on} */
    public String channel() {
        return channel;
    }

    /**
     * Reads each job that became final (one {@code find}) and tells {@code listener}; prefer
     * {@link #onFinalState(Predicate, Consumer)}, which reads only the jobs of interest.
     */
    @Override
    public Subscription onFinalState(Consumer<Job> listener) {
        return onFinalState(id -> true, listener);
    }

    /** Reads only the jobs {@code interest} accepts, on the listening thread. */
    @Override
    public Subscription onFinalState(Predicate<JobId> interest, Consumer<Job> listener) {
        Subscription subscription = fanOut.subscribe(interest, listener);
        listenerThread.startOnce();
        return subscription;
    }

    /**
     * Waits until the notifier listens (for a test that must not write before it does).
     *
     * @param timeout how long at most
     * @return true when listening
     * @throws InterruptedException if interrupted
     */
    public boolean awaitListening(Duration timeout) throws InterruptedException {
        return listenerThread.awaitListening(timeout);
    }

    /** {@return this notifier's row id in the registry of listening notifiers} */
    String registrationId() {
        return registration.id();
    }

    /**
     * One LISTEN on one pooled connection, until the connection is recycled, fails, or close.
     * Registers first: a final write whose statement saw the registration notifies, and it is
     * delivered if it commits after the LISTEN; one that commits in between is only polled for.
     */
    private void listen() throws SQLException {
        try (Connection connection = backend.connections().getConnection()) {
            connection.setAutoCommit(true);
            registration.register(connection);
            try (Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + Tables.quote(channel));
            }
            listenerThread.listening();
            receive(connection, connection.unwrap(PGConnection.class));
            if (listenerThread.stopping()) {
                registration.remove(connection);   // a recycle keeps it: the next connection refreshes it
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("UNLISTEN *");   // the connection goes back to the pool
            }
        }
    }

    private void receive(Connection connection, PGConnection pg) throws SQLException {
        long lastHeartbeat = System.nanoTime();
        long since = lastHeartbeat;
        while (!listenerThread.stopping() && System.nanoTime() - since < RECYCLE_NANOS) {
            PGNotification[] notifications = pg.getNotifications(RECEIVE_TIMEOUT_MS);
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    fanOut.announce(notification.getParameter());
                }
            }
            if (System.nanoTime() - lastHeartbeat > HEARTBEAT_NANOS) {
                // keeps the trigger notifying, and checks the connection: a silently dead one
                // delivers nothing, and its row lapses since this throws
                registration.register(connection);
                lastHeartbeat = System.nanoTime();
            }
        }
    }

    /**
     * Stops listening, deletes the registration (if the connection fails first, the row lapses
     * on its own) and gives the connection back; subscriptions get no more calls. Idempotent.
     */
    @Override
    public void close() {
        listenerThread.close(() -> { }, Duration.ofSeconds(2));   // receive() sees the stop within its timeout
    }

    @Override
    public String toString() {
        return "JdbcFinalStateNotifier[" + channel + "]";
    }
}
