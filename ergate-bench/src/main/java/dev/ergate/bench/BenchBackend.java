package dev.ergate.bench;

import java.time.Duration;

/**
 * One backend as the harness uses it: a fresh, empty queue and store per phase, and the raw
 * baseline. Called from one thread; what {@link #open} returns is used by many worker threads.
 */
public interface BenchBackend extends AutoCloseable {

    /** {@return what is measured, for the report: backend, version when known, where} */
    String describe();

    /**
     * Opens a queue and a store that no other phase or run sees (own keys, tables or queue).
     *
     * @param runId a name unique to this phase, safe in keys, table and queue names
     * @param workers how many worker threads will take at once (size pools for them)
     * @param leaseTime the queue's lease time
     * @return the queue and store; closing it removes what it created where it can
     * @throws Exception if the backend can't be reached or set up
     */
    BackendRun open(String runId, int workers, Duration leaseTime) throws Exception;

    /** {@return the raw baseline: one step's fewest backend operations with the plain client} */
    RawBaseline baseline();

    /** Releases connections and servers the backend started. */
    @Override
    void close() throws Exception;
}
