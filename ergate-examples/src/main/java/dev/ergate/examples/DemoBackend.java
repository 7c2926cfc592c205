package dev.ergate.examples;

import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.StateStore;

/**
 * A queue and a state store for the demo to run on, opened from the command line's options.
 * Closing it releases both.
 *
 * <p>Implementations are thread-safe (the queue and store are used by all worker threads).
 */
interface DemoBackend extends AutoCloseable {

    /** {@return where jobs wait} */
    JobQueue queue();

    /** {@return where job states are written} */
    StateStore store();

    /** {@return the admin the dashboard reads and repairs through ({@code --dashboard})} */
    JobAdmin admin();

    /** {@return a short description for the demo's first line, such as "Redis at 127.0.0.1:6379"} */
    String describe();

    /** Releases the queue and the store (connections, threads); failures are unchecked. */
    @Override
    void close();

    /** Opens a backend. */
    @FunctionalInterface
    interface Factory {
        /**
         * @param options the command line's options ({@code url} may be null)
         * @param environment the process environment, for URLs like {@code ERGATE_REDIS_URL}
         * @return the opened backend
         * @throws UsageException if the backend can't be used as asked (a bad URL)
         * @throws Exception if it can't be reached
         */
        DemoBackend open(DemoOptions options, java.util.Map<String, String> environment) throws Exception;
    }
}
