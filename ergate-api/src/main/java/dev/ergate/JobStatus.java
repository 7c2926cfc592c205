package dev.ergate;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a job is in its life. Written to JSON by name; see {@link StatusDialect} for the
 * integer codes Python Ergate uses.
 */
public enum JobStatus {
    /** Waiting for its {@code requested_start_time}; a publisher queues it when due. */
    SCHEDULED,
    /** On the queue, waiting for a worker. */
    QUEUED,
    /** A worker is running one of its steps. */
    RUNNING,
    /** Every step ran, or a step ended the job early: final. */
    COMPLETED,
    /** A step threw: final; the stack trace is in {@code exception_traceback}. */
    FAILED,
    /** A step aborted the job on purpose: final. */
    ABORTED,
    /** A step finished; the job waits for a publisher to queue its next step. */
    PENDING,
    /** Someone asked to cancel it; the next worker to see it stops it. */
    CANCELLING,
    /** Stopped on request before its end: final. */
    CANCELLED;

    /**
     * {@return true for COMPLETED, FAILED, ABORTED and CANCELLED: a job in a final status never
     * runs again}
     */
    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == ABORTED || this == CANCELLED;
    }

    /**
     * Finds a status by name, ignoring case ({@code "queued"}, {@code "Queued"}, {@code
     * "QUEUED"}).
     *
     * @param name the name to look up
     * @return the status, or empty when no status has that name
     */
    public static Optional<JobStatus> byName(String name) {
        // the name as written (every job decode asks): no copy of the name, of values() or of an Optional
        for (int i = 0; i < ALL.length; i++) {
            if (ALL[i].name().equals(name)) {
                return FOUND.get(i);
            }
        }
        String upper = name.trim().toUpperCase(Locale.ROOT);
        for (int i = 0; i < ALL.length; i++) {
            if (ALL[i].name().equals(upper)) {
                return FOUND.get(i);
            }
        }
        return Optional.empty();
    }

    private static final JobStatus[] ALL = values();
    private static final List<Optional<JobStatus>> FOUND = Arrays.stream(ALL).map(Optional::of).toList();
}
