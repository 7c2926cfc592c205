package dev.ergate.bench;

/**
 * The backend's speed without Ergate: the fewest operations one step needs, in a tight loop with
 * the backend's plain client, on as many threads as the worker has. Implementations are used from
 * one thread and start their own loop threads.
 */
public interface RawBaseline {

    /** {@return the operations of one baseline step, for the report} */
    String describe();

    /**
     * Pre-loads {@code depth} messages, then runs {@code steps} baseline steps spread over
     * {@code threads} threads, each moving the message it took back to the queue.
     *
     * @param runId a name unique to this run, safe in keys, table and queue names
     * @param threads loop threads, one connection each
     * @param depth messages on the queue while it runs (as the throughput phase pre-loads)
     * @param steps baseline steps to run in all
     * @param message the bytes one message carries: an encoded job of the run's payload
     * @return how long the steps took
     * @throws Exception if the backend fails
     */
    BaselineResult run(String runId, int threads, int depth, long steps, byte[] message) throws Exception;
}
