package dev.ergate.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The thread a backend's final-state notifier listens on: started on first use, it runs one
 * {@link Session} after another until {@link #close}, and after a failed one waits a backoff
 * that doubles from 100 ms to 5 s (reset once a session listens again), so a backend that is down
 * costs a connection attempt now and then, not a busy loop. Thread-safe.
 */
public final class ListenerThread {

    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    /** One connection's listening. */
    @FunctionalInterface
    public interface Session {
        /**
         * Subscribes, calls {@link ListenerThread#listening()}, then hands each message on until
         * the connection is given up (return: the next session starts at once) or fails (throw).
         * Returns soon after {@link ListenerThread#stopping()} turns true, or when the
         * {@code wake} given to {@link ListenerThread#close} runs.
         *
         * @throws Exception when the connection fails
         */
        void run() throws Exception;
    }

    private final String name;
    private final Session session;
    private final Consumer<Exception> onFailure;
    private final Runnable onRecovered;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch listening = new CountDownLatch(1);
    private final Object lock = new Object();
    private @Nullable Thread thread;
    // only the listening thread reads and writes these
    private boolean failing;
    private long backoffMillis = FIRST_BACKOFF_MILLIS;

    /**
     * @param name the thread's name
     * @param session one connection's listening
     * @param onFailure told the first failure of a run of failed sessions (the owner logs it)
     * @param onRecovered told when a session listens again after failures
     */
    public ListenerThread(String name, Session session, Consumer<Exception> onFailure, Runnable onRecovered) {
        this.name = Objects.requireNonNull(name, "name");
        this.session = Objects.requireNonNull(session, "session");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
        this.onRecovered = Objects.requireNonNull(onRecovered, "onRecovered");
    }

    /** Starts the thread unless it runs already or was closed. */
    public void startOnce() {
        synchronized (lock) {
            if (thread == null && !stopping()) {
                thread = DaemonThreads.newThread(name, this::run);
                thread.start();
            }
        }
    }

    /** {@return true once {@link #close} was called} */
    public boolean stopping() {
        return stop.getCount() == 0;
    }

    /** Called by a session once it is subscribed (on the listening thread). */
    public void listening() {
        backoffMillis = FIRST_BACKOFF_MILLIS;
        if (failing) {
            failing = false;
            onRecovered.run();
        }
        listening.countDown();
    }

    /**
     * Waits until a session listened for the first time.
     *
     * @param timeout how long at most
     * @return true when a session has listened
     * @throws InterruptedException if interrupted
     */
    public boolean awaitListening(Duration timeout) throws InterruptedException {
        return listening.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void run() {
        while (!stopping()) {
            try {
                session.run();
            } catch (Exception e) {
                if (stopping()) {
                    return;
                }
                if (!failing) {
                    failing = true;
                    onFailure.accept(e);
                }
                try {
                    if (stop.await(backoffMillis, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
            }
        }
    }

    /**
     * Stops: no session starts after this; {@code wake} makes a running one return (unsubscribe,
     * say), then the thread is given up to {@code join} to end. Idempotent.
     *
     * @param wake makes a running session return; runs on the caller's thread
     * @param join how long to wait for the thread to end
     */
    public void close(Runnable wake, Duration join) {
        Thread running;
        synchronized (lock) {
            stop.countDown();
            running = thread;
        }
        wake.run();
        if (running != null) {
            try {
                running.join(join.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
