package dev.ergate.testkit;

import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.JobFormatException;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.CursorPage;
import dev.ergate.spi.DeadLetterFilter;
import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobCounts;
import dev.ergate.spi.JobEvent;
import dev.ergate.spi.JobFilter;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobRepairs;
import dev.ergate.spi.RequeueResult;
import dev.ergate.spi.RetryOutcome;
import dev.ergate.spi.StoredJob;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@link JobAdmin} of an {@link InMemoryJobStore} and {@link InMemoryJobQueue}: every
 * operation, history included. Dead letters get ids in the order the queue gave up on them; the
 * retention lease lives in this object, so it is shared only by workers that share it.
 *
 * <p>Thread-safe.
 */
public final class InMemoryJobAdmin implements JobAdmin {

    /** The {@link dev.ergate.spi.DeadLetter#sourceQueue()} of the in-memory queue's dead letters. */
    public static final String QUEUE_NAME = "memory";

    private static final Set<JobStatus> FINAL = EnumSet.of(
            JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.ABORTED, JobStatus.CANCELLED);

    private final InMemoryJobStore store;
    private final JobQueue queue;
    /** The queue whose dead letters this admin manages, or null when the queue is another backend's. */
    private final @Nullable InMemoryJobQueue deadLetters;
    private final Clock clock;
    private final JobCodec codec = JobCodec.standard();
    /** Dead-letter ids, by record identity; guarded by {@code this}. */
    private final Map<DeadLetter, Long> ids = new IdentityHashMap<>();
    private long lastId;
    private @Nullable String leaseOwner;
    private Instant leaseUntil = Instant.MIN;

    private InMemoryJobAdmin(InMemoryJobStore store, JobQueue queue, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.deadLetters = queue instanceof InMemoryJobQueue memory ? memory : null;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * An admin of the store's jobs whose retries go to another backend's queue (an SQS queue's
     * admin pairs with it): the dead-letter operations are the other queue's to offer.
     *
     * @param store the jobs
     * @param retryQueue where retried jobs go
     * @return the admin, without the dead-letter operations
     */
    public static InMemoryJobAdmin forStore(InMemoryJobStore store, JobQueue retryQueue) {
        return new InMemoryJobAdmin(store, retryQueue, Clock.systemUTC());
    }

    /**
     * @param store the jobs
     * @param queue where retried and requeued jobs go, and whose dead letters are managed
     * @return the admin, timing its retention lease by the system clock
     */
    public static InMemoryJobAdmin of(InMemoryJobStore store, InMemoryJobQueue queue) {
        return of(store, queue, Clock.systemUTC());
    }

    /**
     * @param store the jobs
     * @param queue where retried and requeued jobs go, and whose dead letters are managed
     * @param clock times the retention lease
     * @return the admin
     */
    public static InMemoryJobAdmin of(InMemoryJobStore store, InMemoryJobQueue queue, Clock clock) {
        return new InMemoryJobAdmin(store, queue, clock);
    }

    @Override
    public Set<Operation> operations() {
        if (deadLetters != null) {
            return EnumSet.allOf(Operation.class);
        }
        return EnumSet.complementOf(EnumSet.of(Operation.LIST_DEAD_LETTERS, Operation.REQUEUE_DEAD_LETTERS,
                Operation.PURGE_DEAD_LETTERS));
    }

    @Override
    public JobCounts countJobs() {
        JobCounts.Builder counts = JobCounts.builder();
        for (Job job : store.jobs()) {
            counts.add(job.workflowName(), job.status(), 1);
        }
        return counts.build();
    }

    @Override
    public CursorPage<StoredJob> listJobs(JobFilter filter) {
        return store.adminList(Objects.requireNonNull(filter, "filter"));
    }

    @Override
    public Optional<StoredJob> findJob(JobId id) {
        return store.findStored(Objects.requireNonNull(id, "id"));
    }

    @Override
    public List<JobEvent> history(JobId id) {
        return store.events(Objects.requireNonNull(id, "id"));
    }

    @Override
    public boolean cancelJob(JobId id) {
        return store.requestCancel(id);
    }

    @Override
    public RetryOutcome retryJob(JobId id) {
        Objects.requireNonNull(id, "id");
        Optional<Job> found = store.find(id);
        if (found.isEmpty()) {
            return RetryOutcome.NOT_FOUND;
        }
        Job ended = found.get();
        if (!JobRepairs.isRetryable(ended.status())) {
            return RetryOutcome.NOT_RETRYABLE;
        }
        Job retried = JobRepairs.retried(ended);
        Optional<Job> before = store.replaceIf(id, Set.of(ended.status()), retried);
        if (before.isEmpty()) {
            return RetryOutcome.NOT_FOUND;
        }
        if (before.get().status() != ended.status()) {
            return RetryOutcome.NOT_RETRYABLE; // changed under us
        }
        try {
            queue.put(retried);
        } catch (RuntimeException e) {
            store.replaceIf(id, Set.of(JobStatus.QUEUED), before.get()); // not queued: leave it as it was
            throw e;
        }
        return RetryOutcome.RETRIED;
    }

    @Override
    public boolean deleteJob(JobId id) {
        Objects.requireNonNull(id, "id");
        return store.removeIf(stored -> id.equals(stored.job().id())) > 0;
    }

    @Override
    public long purgeJobs(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        return store.removeIf(stored -> FINAL.contains(stored.job().status())
                && stored.updatedAt() != null && stored.updatedAt().isBefore(cutoff));
    }

    @Override
    public CursorPage<dev.ergate.spi.DeadLetter> listDeadLetters(DeadLetterFilter filter) {
        Objects.requireNonNull(filter, "filter");
        deadLetterQueue(Operation.LIST_DEAD_LETTERS);
        long after = parseCursor(filter.cursor());
        List<dev.ergate.spi.DeadLetter> page = new ArrayList<>();
        long lastOnPage = after;
        for (Numbered numbered : numbered()) {
            if (numbered.id <= after || !filter.matches(numbered.view)) {
                continue;
            }
            if (page.size() == filter.pageSize()) {
                return new CursorPage<>(page, Long.toString(lastOnPage));
            }
            page.add(numbered.view);
            lastOnPage = numbered.id;
        }
        return new CursorPage<>(page, null);
    }

    @Override
    public RequeueResult requeueDeadLetter(String id) {
        Objects.requireNonNull(id, "id");
        deadLetterQueue(Operation.REQUEUE_DEAD_LETTERS);
        List<Numbered> matching = numbered().stream().filter(n -> n.view.id().equals(id)).toList();
        return requeue(matching);
    }

    @Override
    public RequeueResult requeueDeadLetters(DeadLetterFilter filter) {
        Objects.requireNonNull(filter, "filter");
        deadLetterQueue(Operation.REQUEUE_DEAD_LETTERS);
        return requeue(numbered().stream().filter(n -> filter.matches(n.view)).toList());
    }

    private RequeueResult requeue(List<Numbered> deadLetters) {
        List<String> requeued = new ArrayList<>();
        List<RequeueResult.Kept> kept = new ArrayList<>();
        for (Numbered numbered : deadLetters) {
            Job job;
            try {
                job = codec.decode(numbered.record.text());
            } catch (JobFormatException e) {
                kept.add(new RequeueResult.Kept(numbered.view.id(), "still not a job: " + e.getMessage()));
                continue;
            }
            JobId jobId = job.id();
            if (jobId != null) {
                store.replaceIf(jobId, FINAL, job.toBuilder().status(JobStatus.QUEUED).build());
            }
            InMemoryJobQueue memory = deadLetterQueue(Operation.REQUEUE_DEAD_LETTERS);
            memory.putRaw(numbered.record.text().getBytes(StandardCharsets.UTF_8));
            memory.removeDeadLetters(record -> record == numbered.record);
            requeued.add(numbered.view.id());
        }
        return new RequeueResult(requeued, kept);
    }

    @Override
    public long purgeDeadLetters(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        return deadLetterQueue(Operation.PURGE_DEAD_LETTERS).removeDeadLetters(record -> record.at().isBefore(cutoff));
    }

    @Override
    public synchronized boolean tryRetentionLease(String owner, Duration duration) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(duration, "duration");
        Instant now = clock.instant();
        if (leaseOwner == null || owner.equals(leaseOwner) || !now.isBefore(leaseUntil)) {
            leaseOwner = owner;
            leaseUntil = now.plus(duration);
            return true;
        }
        return false;
    }

    /** A dead letter of the queue with its id. */
    private record Numbered(long id, DeadLetter record, dev.ergate.spi.DeadLetter view) {
    }

    /** @return the queue's dead letters, oldest first, each numbered (new ones get the next ids) */
    private synchronized List<Numbered> numbered() {
        List<DeadLetter> records = deadLetterQueue(Operation.LIST_DEAD_LETTERS).deadLetters();
        Map<DeadLetter, Long> live = new IdentityHashMap<>();
        List<Numbered> numbered = new ArrayList<>(records.size());
        for (DeadLetter record : records) {
            Long id = ids.get(record);
            if (id == null) {
                id = ++lastId;
            }
            live.put(record, id);
            numbered.add(new Numbered(id, record, new dev.ergate.spi.DeadLetter(Long.toString(id), QUEUE_NAME,
                    record.text(), record.reason(), record.at(), 0, jobIdOf(record.text()))));
        }
        ids.clear();
        ids.putAll(live); // forget the ids of records that are gone
        return numbered;
    }

    private InMemoryJobQueue deadLetterQueue(Operation operation) {
        if (deadLetters == null) {
            throw unsupported(operation);
        }
        return deadLetters;
    }

    private @Nullable String jobIdOf(String body) {
        try {
            JobId id = codec.decode(body).id();
            return id == null ? null : id.value();
        } catch (JobFormatException e) {
            return null;
        }
    }

    private static long parseCursor(@Nullable String cursor) {
        if (cursor == null) {
            return 0;
        }
        try {
            return Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("in-memory admin: '" + cursor + "' is not a dead-letter cursor");
        }
    }

    @Override
    public String toString() {
        return "InMemoryJobAdmin[" + store + ", " + queue + "]";
    }
}
