package dev.ergate.fault;

import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One connected backend of a fault run: its queue and store, plus the back doors the suite needs
 * (pushing raw bytes as a broken producer would, reading dead letters, deleting the run's data).
 * Thread-safe as the adapters are.
 */
interface FaultBackend extends AutoCloseable {

    /** One dead letter: why, and the text that was given up. */
    record Dead(String reason, String text) {
    }

    /**
     * The size limit of the Redis and PostgreSQL queues of the suite (1 MiB, below their defaults),
     * so a hostile body over it is cheap to push. SQS keeps its own limit (its message size).
     */
    long MAX_JOB_BYTES = 1024 * 1024;

    JobQueue queue();

    JobStore store();

    /**
     * Pushes raw bytes straight into the queue, as a broken producer would.
     *
     * @return null when the message is on the queue; else why the server itself refused it (SQS's
     *     message size limit), so it never reached a worker
     */
    @Nullable String putRaw(byte[] message) throws Exception;

    /** @return every dead letter of the queue */
    List<Dead> deadLetters();

    /** @return how many messages are still on the queue (ready, delayed or leased) */
    long queued();

    /** Deletes everything of this run's space (namespace keys, schema). */
    void dropSpace();

    @Override
    void close();
}
