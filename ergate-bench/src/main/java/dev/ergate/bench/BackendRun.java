package dev.ergate.bench;

import dev.ergate.spi.JobQueue;
import dev.ergate.spi.StateStore;

/**
 * The queue and store of one phase of a harness run. Thread-safe as the adapters are.
 */
public interface BackendRun extends AutoCloseable {

    /** @return the phase's queue */
    JobQueue queue();

    /** @return the phase's store */
    StateStore store();

    /** Closes the queue and store, and removes what the phase created where the backend allows. */
    @Override
    void close() throws Exception;
}
