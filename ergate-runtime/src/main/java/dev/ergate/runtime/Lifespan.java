package dev.ergate.runtime;

/**
 * Wraps a worker's whole run, like Python Ergate's {@code lifespan}: {@link #start} is called
 * before the worker takes any job, and the {@link AutoCloseable} it returns is closed after the
 * worker has stopped (after the drain); open and close what all steps share there. If {@code
 * start} throws, the worker does not start. Called from the starting and the stopping thread.
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
