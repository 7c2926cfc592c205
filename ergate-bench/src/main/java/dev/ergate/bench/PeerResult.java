package dev.ergate.bench;

import java.util.Locale;

/**
 * The figures of one peer-workload run, and its check. Immutable and thread-safe.
 *
 * @param label the RESULT line's {@code peer=} name
 * @param jobs N
 * @param concurrency C
 * @param steps steps per job
 * @param enqueueNanos the submit phase's wall time
 * @param processNanos first handler start to every job acknowledged
 * @param handlersRun step handlers that ran (N x steps, more if a step ran again)
 * @param completed jobs found COMPLETED in the store afterwards
 */
public record PeerResult(String label, int jobs, int concurrency, int steps, long enqueueNanos, long processNanos,
        long handlersRun, long completed) {

    /** {@return true when every job was found COMPLETED and every step ran} */
    public boolean allCompleted() {
        return completed == jobs && handlersRun >= (long) jobs * steps;
    }

    /** {@return jobs submitted per second} */
    public double enqueuePerSecond() {
        return jobs * 1e9 / enqueueNanos;
    }

    /** {@return steps burnt down per second: the peers' jobs/s when a job is one step} */
    public double stepsPerSecond() {
        return (double) jobs * steps * 1e9 / processNanos;
    }

    /**
     * {@return the peers' line: {@code RESULT peer=.. n=.. c=.. enqueue_per_s=.. process_per_s=..};
     * process_per_s counts steps (= jobs for one step), and a multi-step run adds steps= and jobs_per_s=}
     */
    public String resultLine() {
        String line = String.format(Locale.ROOT, "RESULT peer=%s n=%d c=%d enqueue_per_s=%.1f process_per_s=%.1f",
                label, jobs, concurrency, enqueuePerSecond(), stepsPerSecond());
        return steps == 1 ? line : line + String.format(Locale.ROOT, " steps=%d jobs_per_s=%.1f", steps,
                stepsPerSecond() / steps);
    }

    /** {@return a DETAIL line as the peers print one: times and the check} */
    public String detailLine() {
        return String.format(Locale.ROOT, "DETAIL peer=%s enqueue_s=%.3f process_s=%.3f handlers_run=%d"
                + " completed_in_store=%d of %d", label, enqueueNanos / 1e9, processNanos / 1e9, handlersRun,
                completed, jobs);
    }
}
