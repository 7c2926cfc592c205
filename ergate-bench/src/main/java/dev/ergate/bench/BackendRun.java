package dev.ergate.bench;

import dev.ergate.spi.JobQueue;
import dev.ergate.spi.StateStore;

/**
 * The queue and store of one phase of a harness run. Thread-safe as the adapters are.
 */
public interface BackendRun extends AutoCloseable {

    /** {@return the phase's queue} */
    JobQueue queue();

    /** {@return the phase's store} */
    StateStore store();

    /** Closes the queue and store, and removes what the phase created where the backend allows. */
    @Override
    void close() throws Exception;

    /**
     * What a phase removes after closing its queue, where the backend allows (keys, schema, queue).
     */
    @FunctionalInterface
    interface Cleanup {
        /** @throws Exception if removing fails */
        void run() throws Exception;
    }

    /**
     * @param queue the phase's queue, closed first
     * @param store the phase's store
     * @param cleanup run after the queue is closed, also when closing it fails
     * @return the run
     */
    static BackendRun of(JobQueue queue, StateStore store, Cleanup cleanup) {
        return new BackendRun() {
            @Override
            public JobQueue queue() {
                return queue;
            }

            @Override
            public StateStore store() {
                return store;
            }

            @Override
            public void close() throws Exception {
                try {
                    queue.close();
                } finally {
                    cleanup.run();
                }
            }
        };
    }
}
