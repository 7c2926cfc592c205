package dev.ergate.testkit;

import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.JobFormatException;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.CursorPage;
import dev.ergate.spi.DeadLetter;
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
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@link JobAdmin} of an {@link InMemoryJobStore} and {@link InMemoryJobQueue}: every
 * operation, history included. Dead letters page by their id (the message's number on the queue); the
 * retention lease lives in this object, so it is shared only by workers that share it.
 *
 * <p>Thread-safe.
 */
public final class InMemoryJobAdmin implements JobAdmin {

    private static final Set<JobStatus> FINAL = EnumSet.of(
            JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.ABORTED, JobStatus.CANCELLED);

    private final InMemoryJobStore store;
    private final JobQueue queue;
    /** The queue whose dead letters this admin manages, or null when the queue is another backend's. */
    private final @Nullable InMemoryJobQueue deadLetters;
    private final Clock clock;
    private final JobCodec codec = JobCodec.standard();
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
        Job restored = before.get();
        JobRepairs.putOrRestore(queue, retried, () -> store.replaceIf(id, Set.of(JobStatus.QUEUED), restored));
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
    public CursorPage<DeadLetter> listDeadLetters(DeadLetterFilter filter) {
        Objects.requireNonNull(filter, "filter");
        long after = parseCursor(filter.cursor());
        List<DeadLetter> page = new ArrayList<>();
        long lastOnPage = after;
        List<DeadLetter> byId = new ArrayList<>(deadLetterQueue(Operation.LIST_DEAD_LETTERS).deadLetters());
        byId.sort(java.util.Comparator.comparingLong(d -> Long.parseLong(d.id())));
        for (DeadLetter deadLetter : byId) {
            long id = Long.parseLong(deadLetter.id());
            if (id <= after || !filter.matches(deadLetter)) {
                continue;
            }
            if (page.size() == filter.pageSize()) {
                return new CursorPage<>(page, Long.toString(lastOnPage));
            }
            page.add(deadLetter);
            lastOnPage = id;
        }
        return new CursorPage<>(page, null);
    }

    @Override
    public RequeueResult requeueDeadLetter(String id) {
        Objects.requireNonNull(id, "id");
        return requeue(deadLetterQueue(Operation.REQUEUE_DEAD_LETTERS).deadLetters().stream()
                .filter(d -> d.id().equals(id)).toList());
    }

    @Override
    public RequeueResult requeueDeadLetters(DeadLetterFilter filter) {
        Objects.requireNonNull(filter, "filter");
        return requeue(deadLetterQueue(Operation.REQUEUE_DEAD_LETTERS).deadLetters().stream()
                .filter(filter::matches).toList());
    }

    private RequeueResult requeue(List<DeadLetter> deadLetters) {
        InMemoryJobQueue memory = deadLetterQueue(Operation.REQUEUE_DEAD_LETTERS);
        List<String> requeued = new ArrayList<>();
        List<RequeueResult.Kept> kept = new ArrayList<>();
        for (DeadLetter deadLetter : deadLetters) {
            Job job;
            try {
                job = codec.decode(deadLetter.body());
            } catch (JobFormatException e) {
                kept.add(new RequeueResult.Kept(deadLetter.id(), "still not a job: " + e.getMessage()));
                continue;
            }
            JobId jobId = job.id();
            if (jobId != null) {
                store.replaceIf(jobId, FINAL, job.toBuilder().status(JobStatus.QUEUED).build());
            }
            memory.putRaw(deadLetter.body().getBytes(StandardCharsets.UTF_8));
            memory.removeDeadLetters(record -> record.id().equals(deadLetter.id()));
            requeued.add(deadLetter.id());
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

    private InMemoryJobQueue deadLetterQueue(Operation operation) {
        if (deadLetters == null) {
            throw unsupported(operation);
        }
        return deadLetters;
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
