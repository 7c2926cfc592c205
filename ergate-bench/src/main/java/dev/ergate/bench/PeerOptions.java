package dev.ergate.bench;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one peer-workload run does (see {@link PeerWorkload}). Immutable and thread-safe.
 *
 * @param backend memory, redis, postgres or sqs
 * @param jobs N, the jobs submitted then burnt down
 * @param concurrency C: the producer threads, then the worker's concurrency
 * @param steps no-op steps per job: 1 is the peers' unit (one job = one step)
 * @param batchSize 0 for single submits (the peers' workload); else {@code ErgateClient.submitAll}
 *     of this many jobs per call
 * @param timeout how long the burn-down may take before the run fails
 * @param redisUrl where Redis is
 * @param postgresUrl where PostgreSQL is
 * @param sqsEndpoint where SQS is, or null for ElasticMQ in this JVM
 */
public record PeerOptions(BackendKind backend, int jobs, int concurrency, int steps, int batchSize,
        Duration timeout, String redisUrl, String postgresUrl, @Nullable String sqsEndpoint) {

    /** Checks every value, naming the wrong one. */
    public PeerOptions {
        Objects.requireNonNull(backend, "backend");
        if (backend == BackendKind.MEMORY_OBJECTS) {
            throw new IllegalArgumentException("--backend memory-objects has no peer workload: the peers move"
                    + " their jobs through a real store; use memory, redis, postgres or sqs");
        }
        atLeast("--jobs", jobs, 1);
        atLeast("--concurrency", concurrency, 1);
        atLeast("--steps", steps, 1);
        atLeast("--batch-size", batchSize, 0);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(redisUrl, "redisUrl");
        Objects.requireNonNull(postgresUrl, "postgresUrl");
    }

    private static void atLeast(String option, int value, int least) {
        if (value < least) {
            throw new IllegalArgumentException(option + " must be at least " + least + ", got " + value);
        }
    }

    /** {@return the name on the RESULT line: ergate-BACKEND, with -batch and -Nsteps where they apply} */
    public String label() {
        return "ergate-" + backend.cliName() + (batchSize > 0 ? "-batch" : "") + (steps > 1 ? "-" + steps + "steps" : "");
    }
}
