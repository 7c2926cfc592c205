package dev.ergate.dashboard;

import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.DeadLetter;
import dev.ergate.spi.JobEvent;
import dev.ergate.spi.JobFilter;
import dev.ergate.spi.QueueCounts;
import dev.ergate.spi.StoredJob;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the dashboard reads and does, in its own words, so the pages depend on one small seam
 * and not on how a backend's admin capability is shaped. Implementations are thread-safe.
 */
interface Operations {

    /** {@return what this backend can do; the pages hide or explain what it can't} */
    Capabilities capabilities();

    /** {@return job counts: workflow name, then status, then how many} */
    Map<String, Map<JobStatus, Long>> counts();

    /** {@return the queue's counts, or empty when the queue doesn't tell} */
    Optional<QueueCounts> queueCounts();

    /** {@return one page of jobs matching the filter} */
    Page<StoredJob> jobs(JobFilter filter, int limit);

    /** {@return the job and, where the store keeps one, its history} */
    Optional<JobDetail> job(JobId id);

    /** {@return a short sentence on the outcome, for the page} */
    Outcome cancel(JobId id);

    /** {@return a short sentence on the outcome, for the page} */
    Outcome retry(JobId id);

    /** {@return a short sentence on the outcome, for the page} */
    Outcome delete(JobId id);

    /** {@return one page of dead letters} */
    Page<DeadLetter> deadLetters(@Nullable String cursor, int limit);

    /** {@return the outcome of putting one dead letter back on its queue} */
    Outcome requeue(String deadLetterId);

    /** {@return the outcome of putting every dead letter back} */
    Outcome requeueAll();

    /** {@return the outcome of deleting dead letters recorded before {@code before}} */
    Outcome purgeDeadLetters(Instant before);

    /** A page and where the next one starts ({@code null} after the last). */
    record Page<T>(List<T> items, @Nullable String nextCursor) {
        public Page {
            items = List.copyOf(items);
        }
    }

    /** A job and its history, or a note saying why there is none. */
    record JobDetail(StoredJob stored, @Nullable List<JobEvent> history, String historyNote) {
    }

    /** Whether an action did something, and a sentence saying what. */
    record Outcome(boolean done, String message) {
    }

    /** What the backend can do; a missing capability carries the reason in {@code notes}. */
    record Capabilities(boolean retry, boolean delete, boolean history, boolean listDeadLetters,
            boolean requeue, boolean purgeDeadLetters, List<String> notes) {
        public Capabilities {
            notes = List.copyOf(notes);
        }
    }
}
