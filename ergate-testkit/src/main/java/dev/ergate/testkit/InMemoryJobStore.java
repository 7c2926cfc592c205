package dev.ergate.testkit;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.CursorPage;
import dev.ergate.spi.FinalStateNotifier;
import dev.ergate.spi.JobEvent;
import dev.ergate.spi.JobFilter;
import dev.ergate.spi.JobPage;
import dev.ergate.spi.JobQuery;
import dev.ergate.spi.JobSource;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.StaleStateException;
import dev.ergate.spi.StepStart;
import dev.ergate.spi.WriteFence;
import dev.ergate.spi.StoredJob;
import dev.ergate.spi.UniqueJobs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A {@link JobStore} in memory that remembers every state it was given, in order ({@link
 * #history(JobId)}), following the {@code JobStore} contract; also the publisher's {@link
 * JobSource} (due SCHEDULED and PENDING jobs, claims that time out). Thread-safe: each method is
 * atomic.
 */
public final class InMemoryJobStore implements JobStore, JobSource, FinalStateNotifier, UniqueJobs {

    private static final Comparator<Entry> DUE_ORDER = Comparator
            .comparing((Entry e) -> dueTime(e.job))
            .thenComparingLong(e -> e.position);

    private final Clock clock;
    private final Duration claimTimeout;

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<JobId, Entry> byId = new HashMap<>();
    /** Unique keys and who holds them (a key is free again when its holder is final and its hold has passed). */
    private final Map<String, KeyHolder> uniqueKeys = new HashMap<>();
    private final List<Consumer<Job>> finalStateListeners = new CopyOnWriteArrayList<>();
    private final TreeMap<Long, Entry> byPosition = new TreeMap<>();
    private final List<Job> updates = new ArrayList<>();
    /** When each of {@link #updates} was recorded, by the store's clock: the admin's history. */
    private final List<Instant> updateTimes = new ArrayList<>();
    private long lastPosition;

    private InMemoryJobStore(Builder builder) {
        this.clock = builder.clock;
        this.claimTimeout = builder.claimTimeout;
    }

    /** {@return an empty store on the system clock (UTC), with a 5 minute claim timeout} */
    public static InMemoryJobStore create() {
        return builder().build();
    }

    /** {@return a builder, starting from {@link #create()}'s settings} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Stores the job's state, replacing what was stored for its id, and appends it to the
     * history, unless {@link WriteFence} refuses it. When the stored job is CANCELLING and {@code
     * job} is not final, the stored and recorded state is {@code job} with status CANCELLING.
     *
     * @throws IllegalArgumentException if the job has no id
     * @throws StaleStateException if the store holds a newer state of the job (nothing written)
     */
    @Override
    public void update(Job job) {
        write(job, true);
    }

    /** Stores the job over anything stored, with no fence (a deliberate resubmit). */
    @Override
    public void replace(Job job) {
        write(job, false);
    }

    /** Writes the job only when no job of its id is stored, atomically. */
    @Override
    public boolean insert(Job job) {
        JobId id = idOf(job);
        lock.lock();
        try {
            if (byId.containsKey(id)) {
                return false;
            }
            write(job, false);
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void write(Job job, boolean fenced) {
        JobId id = idOf(job);
        Job written;
        lock.lock();
        try {
            Entry entry = byId.get(id);
            if (entry == null) {
                entry = new Entry(++lastPosition, job);
                byId.put(id, entry);
                byPosition.put(entry.position, entry);
            } else if (fenced && WriteFence.refuses(entry.job, job)) {
                throw new StaleStateException("in-memory store: " + WriteFence.describe(entry.job, job), null);
            } else if (fenced && entry.job.status() == JobStatus.CANCELLING && !job.status().isFinal()) {
                entry.job = job.toBuilder().status(JobStatus.CANCELLING).build();
            } else {
                entry.job = job;
            }
            record(entry);
            written = entry.job;
        } finally {
            lock.unlock();
        }
        notifyIfFinal(written);
    }

    /**
     * Records the job under {@code key} unless a stored, non-final job holds it or its hold time
     * has not passed (by the store's clock); check and write under the store's lock.
     */
    @Override
    public Optional<JobId> recordUnique(Job job, String key, Duration holdFor) {
        JobId id = idOf(job);
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("in-memory store: unique key of job " + id + " must not be blank");
        }
        if (holdFor.isNegative()) {
            throw new IllegalArgumentException("in-memory store: holdFor of unique key '" + key
                    + "' must not be negative, got " + holdFor);
        }
        lock.lock();
        try {
            Instant now = clock.instant();
            KeyHolder holder = uniqueKeys.get(key);
            if (holder != null) {
                Entry entry = byId.get(holder.id);
                boolean running = entry != null && !entry.job.status().isFinal();
                if (running || now.isBefore(holder.heldUntil)) {
                    return Optional.of(holder.id);
                }
            }
            update(job);     // re-entrant; a new job is not final, so nobody is notified under the lock
            uniqueKeys.put(key, new KeyHolder(id, now.plus(holdFor)));
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** The job holding a unique key, and until when at least. */
    private record KeyHolder(JobId id, Instant heldUntil) {
    }

    /** Tells {@link #onFinalState} listeners, outside the lock so a listener never holds up a writer. */
    private void notifyIfFinal(Job written) {
        if (!written.status().isFinal()) {
            return;
        }
        for (Consumer<Job> listener : finalStateListeners) {
            try {
                listener.accept(written);
            } catch (RuntimeException ignored) {
                // the SPI says a listener must not throw; one that does must not fail the write
            }
        }
    }

    /** In process: listeners are called on the thread that wrote the final state. */
    @Override
    public Subscription onFinalState(Consumer<Job> listener) {
        Objects.requireNonNull(listener, "listener");
        // a wrapper of our own, so removing it never removes another subscription of the same listener
        Consumer<Job> subscribed = listener::accept;
        finalStateListeners.add(subscribed);
        return () -> finalStateListeners.remove(subscribed);
    }

    /** Appends the entry's new state to the history and stamps its update time; under the lock. */
    private void record(Entry entry) {
        Instant now = clock.instant();
        entry.updatedAt = now;
        updates.add(entry.job);
        updateTimes.add(now);
    }

    private static JobId idOf(Job job) {
        Objects.requireNonNull(job, "job");
        JobId id = job.id();
        if (id == null) {
            throw new IllegalArgumentException("in-memory store: job of workflow '" + job.workflowName()
                    + "' has no id; the runtime assigns one before the first write");
        }
        return id;
    }

    /** Checks and writes under the store's lock, so a concurrent finish or cancel request can't slip in between. */
    @Override
    public StepStart startStep(Job running) {
        JobId id = idOf(running);
        lock.lock();
        try {
            Entry entry = byId.get(id);
            StepStart start = entry == null ? StepStart.STARTED : StepStart.over(entry.job, running);
            if (start == StepStart.STARTED) {
                update(running);
            }
            return start;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Job> find(JobId id) {
        Objects.requireNonNull(id, "id");
        lock.lock();
        try {
            Entry entry = byId.get(id);
            return entry == null ? Optional.empty() : Optional.of(entry.job);
        } finally {
            lock.unlock();
        }
    }

    /**
     * @throws IllegalArgumentException if the query's cursor did not come from this store
     */
    @Override
    public JobPage list(JobQuery query) {
        Objects.requireNonNull(query, "query");
        long after = parseCursor(query.cursor());
        lock.lock();
        try {
            List<Job> page = new ArrayList<>(Math.min(query.pageSize(), byPosition.size()));
            long lastOnPage = after;
            for (Entry entry : byPosition.tailMap(after, false).values()) {
                if (!matches(entry.job, query)) {
                    continue;
                }
                if (page.size() == query.pageSize()) {
                    return new JobPage(page, Long.toString(lastOnPage));
                }
                page.add(entry.job);
                lastOnPage = entry.position;
            }
            return new JobPage(page, null);
        } finally {
            lock.unlock();
        }
    }

    private static boolean matches(Job job, JobQuery query) {
        return (query.status() == null || job.status() == query.status())
                && (query.workflowName() == null || job.workflowName().equals(query.workflowName()));
    }

    private static long parseCursor(@Nullable String cursor) {
        if (cursor == null) {
            return 0;
        }
        try {
            long position = Long.parseLong(cursor);
            if (position >= 0) {
                return position;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("in-memory store: '" + cursor + "' is not a cursor of this store");
    }

    @Override
    public boolean requestCancel(JobId id) {
        Objects.requireNonNull(id, "id");
        Job written = null;
        lock.lock();
        try {
            Entry entry = byId.get(id);
            if (entry == null || entry.job.status().isFinal()) {
                return false;
            }
            JobStatus status = entry.job.status();
            if (status == JobStatus.SCHEDULED || status == JobStatus.PENDING) {
                // no message of it is on a queue: nothing would ever see a CANCELLING
                entry.job = entry.job.toBuilder().status(JobStatus.CANCELLED).build();
                record(entry);
                written = entry.job;
            } else if (status != JobStatus.CANCELLING) {
                entry.job = entry.job.toBuilder().status(JobStatus.CANCELLING).build();
                record(entry);
            }
        } finally {
            lock.unlock();
        }
        if (written != null) {
            notifyIfFinal(written);
        }
        return true;
    }

    /**
     * @return every state of the job this store recorded, oldest first (empty for an unknown id)
     */
    public List<Job> history(JobId id) {
        Objects.requireNonNull(id, "id");
        lock.lock();
        try {
            List<Job> history = new ArrayList<>();
            for (Job job : updates) {
                if (id.equals(job.id())) {
                    history.add(job);
                }
            }
            return history;
        } finally {
            lock.unlock();
        }
    }

    /** {@return every state recorded, of every job, oldest first (a copy)} */
    public List<Job> updates() {
        lock.lock();
        try {
            return List.copyOf(updates);
        } finally {
            lock.unlock();
        }
    }

    /** {@return the last state of every job, in the order jobs were first stored (a copy)} */
    public List<Job> jobs() {
        lock.lock();
        try {
            List<Job> jobs = new ArrayList<>(byPosition.size());
            for (Entry entry : byPosition.values()) {
                jobs.add(entry.job);
            }
            return jobs;
        } finally {
            lock.unlock();
        }
    }

    /** {@return how many jobs the store holds} */
    public int size() {
        lock.lock();
        try {
            return byId.size();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- JobSource

    /**
     * Claims SCHEDULED and PENDING jobs whose {@code requested_start_time} is at or before
     * {@code now} (or absent) and that nobody else holds a live claim on; earliest due first.
     */
    @Override
    public List<Job> claimDue(Instant now, int max) {
        Objects.requireNonNull(now, "now");
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, got " + max);
        }
        lock.lock();
        try {
            Instant claimedSince = clock.instant().minus(claimTimeout);
            List<Entry> due = new ArrayList<>();
            for (Entry entry : byPosition.values()) {
                JobStatus status = entry.job.status();
                boolean waiting = status == JobStatus.SCHEDULED || status == JobStatus.PENDING;
                boolean claimed = entry.claimedAt != null && entry.claimedAt.isAfter(claimedSince);
                if (waiting && !claimed && !dueTime(entry.job).isAfter(now)) {
                    due.add(entry);
                }
            }
            due.sort(DUE_ORDER);
            List<Job> claimedJobs = new ArrayList<>(Math.min(max, due.size()));
            Instant claimTime = clock.instant();
            for (Entry entry : due.subList(0, Math.min(max, due.size()))) {
                entry.claimedAt = claimTime;
                entry.claimed = entry.job;
                claimedJobs.add(entry.job);
            }
            return claimedJobs;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records the job as given (normally QUEUED) and drops its claim, but only over the state that
     * was claimed: if anything wrote the job since (a worker already ran it, or a cancel request
     * came), that newer state is kept.
     */
    @Override
    public void published(Job queued) {
        Objects.requireNonNull(queued, "queued");
        JobId id = queued.id();
        if (id == null) {
            return;
        }
        lock.lock();
        try {
            Entry entry = byId.get(id);
            if (entry == null) {
                return;
            }
            if (entry.claimed != null && entry.job == entry.claimed) {
                entry.job = queued;
                record(entry);
            }
            entry.claimedAt = null;
            entry.claimed = null;
        } finally {
            lock.unlock();
        }
    }

    /** Drops the job's claim, so {@link #claimDue} offers it again. */
    @Override
    public void publishFailed(Job job, Exception failure) {
        dropClaim(job);
    }

    private void dropClaim(Job job) {
        JobId id = job.id();
        if (id == null) {
            return;
        }
        lock.lock();
        try {
            Entry entry = byId.get(id);
            if (entry != null) {
                entry.claimedAt = null;
                entry.claimed = null;
            }
        } finally {
            lock.unlock();
        }
    }

    private static Instant dueTime(Job job) {
        Instant time = job.requestedStartTime();
        return time == null ? Instant.MIN : time;
    }

    @Override
    public String toString() {
        return "InMemoryJobStore[jobs=" + size() + "]";
    }

    // ---------------------------------------------------------------- for InMemoryJobAdmin

    /** {@return the page of stored jobs after {@code cursor} (a position) that pass the filter} */
    CursorPage<StoredJob> adminList(JobFilter filter) {
        long after = parseCursor(filter.cursor());
        lock.lock();
        try {
            List<StoredJob> page = new ArrayList<>();
            long lastOnPage = after;
            for (Entry entry : byPosition.tailMap(after, false).values()) {
                StoredJob stored = new StoredJob(entry.job, entry.updatedAt);
                if (!filter.matches(stored)) {
                    continue;
                }
                if (page.size() == filter.pageSize()) {
                    return new CursorPage<>(page, Long.toString(lastOnPage));
                }
                page.add(stored);
                lastOnPage = entry.position;
            }
            return new CursorPage<>(page, null);
        } finally {
            lock.unlock();
        }
    }

    /** {@return the job and its update time, or empty} */
    Optional<StoredJob> findStored(JobId id) {
        lock.lock();
        try {
            Entry entry = byId.get(id);
            return entry == null ? Optional.empty() : Optional.of(new StoredJob(entry.job, entry.updatedAt));
        } finally {
            lock.unlock();
        }
    }

    /** {@return every recorded state of the job with its time, oldest first} */
    List<JobEvent> events(JobId id) {
        lock.lock();
        try {
            List<JobEvent> events = new ArrayList<>();
            for (int i = 0; i < updates.size(); i++) {
                Job job = updates.get(i);
                if (id.equals(job.id())) {
                    events.add(new JobEvent(updateTimes.get(i), job.status(), job.stepName(), job.stepsCompleted(),
                            job.percentCompleted()));
                }
            }
            return events;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes {@code next} only when the stored job is in one of {@code expected}, atomically.
     *
     * @return the stored job before, or empty when unknown; {@code next} was written if its status was expected
     */
    Optional<Job> replaceIf(JobId id, java.util.Set<JobStatus> expected, Job next) {
        Optional<Job> result;
        lock.lock();
        try {
            Entry entry = byId.get(id);
            if (entry == null) {
                return Optional.empty();
            }
            Job before = entry.job;
            if (!expected.contains(before.status())) {
                return Optional.of(before);
            }
            entry.job = next;
            record(entry);
            result = Optional.of(before);
        } finally {
            lock.unlock();
        }
        notifyIfFinal(next);
        return result;
    }

    /**
     * Deletes the jobs that pass the test, with their history.
     *
     * @return how many
     */
    int removeIf(java.util.function.Predicate<StoredJob> test) {
        lock.lock();
        try {
            java.util.Set<JobId> removed = new java.util.HashSet<>();
            for (java.util.Iterator<Entry> it = byPosition.values().iterator(); it.hasNext(); ) {
                Entry entry = it.next();
                if (test.test(new StoredJob(entry.job, entry.updatedAt))) {
                    it.remove();
                    JobId id = Objects.requireNonNull(entry.job.id());
                    byId.remove(id);
                    removed.add(id);
                }
            }
            if (!removed.isEmpty()) {
                for (int i = updates.size() - 1; i >= 0; i--) {
                    if (removed.contains(updates.get(i).id())) {
                        updates.remove(i);
                        updateTimes.remove(i);
                    }
                }
            }
            return removed.size();
        } finally {
            lock.unlock();
        }
    }

    /** One job; guarded by the store's lock. */
    private static final class Entry {
        final long position;
        Job job;
        /** When {@link #job} was written, by the store's clock (set by record() before anyone reads it). */
        Instant updatedAt = Instant.EPOCH;
        @Nullable Instant claimedAt;
        /** The state handed out by the live claim, to publish over it and nothing newer. */
        @Nullable Job claimed;

        Entry(long position, Job job) {
            this.position = position;
            this.job = job;
        }
    }

    /**
     * Configures an {@link InMemoryJobStore}; {@link #build()} checks the settings. Not
     * thread-safe.
     */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private Duration claimTimeout = Duration.ofMinutes(5);

        private Builder() {
        }

        /** @param clock the clock that times publisher claims; system UTC by default */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param claimTimeout how long a job claimed by {@link #claimDue} and not reported back
         *     stays hidden from other claims; positive; 5 minutes by default
         */
        public Builder claimTimeout(Duration claimTimeout) {
            this.claimTimeout = Objects.requireNonNull(claimTimeout, "claimTimeout");
            return this;
        }

        /**
         * @return the store, empty
         * @throws IllegalArgumentException if the claim timeout is not positive
         */
        public InMemoryJobStore build() {
            if (claimTimeout.isZero() || claimTimeout.isNegative()) {
                throw new IllegalArgumentException("claimTimeout must be positive, got " + claimTimeout);
            }
            return new InMemoryJobStore(this);
        }
    }
}
