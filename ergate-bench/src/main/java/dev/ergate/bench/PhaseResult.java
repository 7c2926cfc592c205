package dev.ergate.bench;

import org.jspecify.annotations.Nullable;

/**
 * What one phase of a harness run measured. Immutable and thread-safe.
 *
 * @param name "throughput" (all jobs pre-loaded) or "latency" (jobs streamed, a few in flight)
 * @param jobs jobs run
 * @param inFlight jobs in flight at once (all of them when pre-loaded)
 * @param stepsPerJob steps per job
 * @param nanos wall clock from the worker's start to the last job's end
 * @param completed jobs that ended right
 * @param wrong jobs that ended any other way
 * @param firstProblem the first wrong ending, or {@code null}
 * @param stepsStarted step bodies run (more than jobs x steps when leases were lost)
 * @param latencyCount step-to-step latencies recorded
 * @param p50Nanos median step-to-step latency
 * @param p99Nanos 99th percentile step-to-step latency
 * @param timedFromFinishStart latencies timed from the start of an atomic finish still running when
 *     the next step started (upper bounds; see {@link RunTracker})
 * @param heapUsedBytes heap in use after the phase, after a GC, with the worker still up; -1 when
 *     not measured
 * @param allocatedBytesPerStep bytes allocated by all threads per step while the phase ran (the
 *     worker's threads and the backend client's); -1 when not measured
 */
public record PhaseResult(
        String name,
        int jobs,
        int inFlight,
        int stepsPerJob,
        long nanos,
        long completed,
        long wrong,
        @Nullable String firstProblem,
        long stepsStarted,
        long latencyCount,
        long p50Nanos,
        long p99Nanos,
        long timedFromFinishStart,
        long heapUsedBytes,
        long allocatedBytesPerStep) {

    /** {@return steps done per second (jobs x steps over the phase's time)} */
    public double stepsPerSecond() {
        return nanos <= 0 ? 0 : (double) jobs * stepsPerJob * 1e9 / nanos;
    }

    /** {@return jobs finished per second} */
    public double jobsPerSecond() {
        return nanos <= 0 ? 0 : jobs * 1e9 / nanos;
    }

    /** {@return true when every job ended right} */
    public boolean allCompleted() {
        return completed == jobs && wrong == 0;
    }
}
