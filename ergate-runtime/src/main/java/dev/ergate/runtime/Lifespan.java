package dev.ergate.runtime;

/**
 * Wraps a worker's whole run, like Python Ergate's {@code lifespan}: {@link #start} is called
 * when the worker starts (before it takes any job), and the {@link AutoCloseable} it returns is
 * closed after the worker has stopped (after the drain). Use it to open and close what all steps
 * share (a connection pool, a client). If {@code start} throws, the worker does not start.
 *
 * <p>Called from the thread that starts and the one that stops the worker.
 */
@FunctionalInterface
public interface Lifespan {

    /**
     * @param app the worker that is starting
     * @return what to close when it stops
     * @throws Exception if setting up fails: the worker does not start
     */
    AutoCloseable start(Ergate app) throws Exception;
}
