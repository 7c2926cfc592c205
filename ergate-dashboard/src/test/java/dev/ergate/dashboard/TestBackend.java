package dev.ergate.dashboard;

import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.QueueStats;

/** A queue, store and admin on one real backend, with a namespace or schema of its own. */
interface TestBackend extends AutoCloseable {

    JobQueue queue();

    JobStore store();

    JobAdmin admin();

    default QueueStats queueStats() {
        return (QueueStats) queue();
    }

    /** Deletes what the test wrote and closes the clients. */
    @Override
    void close();
}
