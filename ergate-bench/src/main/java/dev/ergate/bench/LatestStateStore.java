package dev.ergate.bench;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.JobPage;
import dev.ergate.spi.JobQuery;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.StaleStateException;
import dev.ergate.spi.StepStart;
import dev.ergate.spi.WriteFence;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The memory backend's store: only the latest state of each job, so a long benchmark measures
 * the engine and not a growing history. Follows the {@link JobStore} contract; {@link #list}
 * pages in first-write order. Thread-safe, lock-free on the step path.
 */
public final class LatestStateStore implements JobStore {

    /**
     * One job's latest state. After the job's first write its entry stays in the map and a write
     * only swaps the state in it (compare-and-set), so a step reads the map but never locks or
     * writes one of its bins (a map update per write was the largest share of a memory run's CPU).
     */
    private static final class Entry {
        private static final VarHandle JOB;

        static {
            try {
                JOB = MethodHandles.lookup().findVarHandle(Entry.class, "job", Job.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final JobId id;
        private final long position;
        private volatile Job job;

        Entry(JobId id, long position, Job job) {
            this.id = id;
            this.position = position;
            this.job = job;
        }

        long position() {
            return position;
        }

        Job job() {
            return job;
        }

        boolean swap(Job expected, Job next) {
            return JOB.compareAndSet(this, expected, next);
        }
    }

    /**
     * Sized for a pre-loaded benchmark run (300,000 jobs), so the workers' first writes of new
     * jobs don't resize it (resizing was 3 - 5 % of a memory run's worker samples).
     */
    private final ConcurrentHashMap<JobId, Entry> byId = new ConcurrentHashMap<>(1 << 19);
    /**
     * Each thread's last entry: a worker starts a step and writes its state on the same thread,
     * so the write finds the entry here instead of in a map of hundreds of thousands of jobs (a
     * cache miss or two per lookup). Entries are never removed, so one cached is always right.
     */
    private final ThreadLocal<Entry[]> lastEntry = ThreadLocal.withInitial(() -> new Entry[1]);
    private final PositionLog byPosition = new PositionLog();

    /**
     * Fenced by {@link WriteFence}; a stored CANCELLING is kept over a non-final state.
     *
     * @throws IllegalArgumentException if the job has no id
     * @throws StaleStateException if the stored state is newer; nothing written
     */
    @Override
    public void update(Job job) {
        write(job, true);
    }

    /** Writes past the fence, over a final or CANCELLING job too. */
    @Override
    public void replace(Job job) {
        write(job, false);
    }

    /** One map update: written only when no job of its id is stored. */
    @Override
    public boolean insert(Job job) {
        JobId id = idOf(job);
        boolean[] written = {false};
        byId.computeIfAbsent(id, key -> {
            written[0] = true;
            return new Entry(key, byPosition.append(key), job);
        });
        return written[0];
    }

    private void write(Job job, boolean fenced) {
        Entry entry = entryOf(idOf(job), job);
        if (entry == null) {
            return; // the first write: the new entry holds the job
        }
        while (true) {
            Job old = entry.job();
            Job next = job;
            if (fenced) {
                if (WriteFence.refuses(old, job)) {
                    throw new StaleStateException("latest-state store: " + WriteFence.describe(old, job), null);
                }
                if (old.status() == JobStatus.CANCELLING && !job.status().isFinal()) {
                    next = job.toBuilder().status(JobStatus.CANCELLING).build();
                }
            }
            if (entry.swap(old, next)) {
                return;
            }
        }
    }

    /**
     * {@return the job's entry; or null when it had none, and then {@code first} is stored as its
     * first state}
     */
    private @Nullable Entry entryOf(JobId id, Job first) {
        Entry[] last = lastEntry.get();
        Entry entry = last[0];
        if (entry != null && entry.id.equals(id)) {
            return entry;
        }
        entry = byId.get(id);
        if (entry != null) {
            last[0] = entry;
            return entry;
        }
        boolean[] created = {false};
        Entry now = byId.computeIfAbsent(id, key -> {
            created[0] = true;
            return new Entry(key, byPosition.append(key), first);
        });
        last[0] = now;
        return created[0] ? null : now;
    }

    private static JobId idOf(Job job) {
        Objects.requireNonNull(job, "job");
        JobId id = job.id();
        if (id == null) {
            throw new IllegalArgumentException("latest-state store: job of workflow '" + job.workflowName()
                    + "' has no id; the runtime assigns one before the first update");
        }
        return id;
    }

    /** One map update: the check and the write are atomic, and a step start costs one lookup, not two. */
    @Override
    public StepStart startStep(Job running) {
        JobId id = running.id();
        if (id == null) {
            throw new IllegalArgumentException("latest-state store: job of workflow '" + running.workflowName()
                    + "' has no id; a step can only be started for a job with one");
        }
        Entry entry = entryOf(id, running);
        if (entry == null) {
            return StepStart.STARTED;
        }
        while (true) {
            Job old = entry.job();
            StepStart start = StepStart.over(old, running);
            if (start != StepStart.STARTED || entry.swap(old, running)) {
                return start;
            }
        }
    }

    @Override
    public Optional<Job> find(JobId id) {
        Entry entry = byId.get(id);
        return entry == null ? Optional.empty() : Optional.of(entry.job());
    }

    /**
     * @throws IllegalArgumentException if the cursor is not one this store handed out
     */
    @Override
    public JobPage list(JobQuery query) {
        long after = 0;
        String cursor = query.cursor();
        if (cursor != null) {
            try {
                after = Long.parseLong(cursor);
                if (after < 0) {
                    throw new NumberFormatException("negative");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("latest-state store: '" + cursor + "' is not a cursor of this store");
            }
        }
        List<Job> page = new ArrayList<>();
        long last = byPosition.last();
        for (long position = after + 1; position <= last; position++) {
            JobId id = byPosition.at(position);
            Entry entry = id == null ? null : byId.get(id);
            if (entry == null || !matches(entry.job(), query)) {
                continue;
            }
            page.add(entry.job());
            if (page.size() == query.pageSize()) {
                boolean more = position < byPosition.last();
                return new JobPage(page, more ? Long.toString(position) : null);
            }
        }
        return new JobPage(page, null);
    }

    private static boolean matches(Job job, JobQuery query) {
        return (query.status() == null || job.status() == query.status())
                && (query.workflowName() == null || job.workflowName().equals(query.workflowName()));
    }

    @Override
    public boolean requestCancel(JobId id) {
        Entry entry = byId.get(id);
        if (entry == null) {
            return false;
        }
        while (true) {
            Job old = entry.job();
            JobStatus status = old.status();
            if (status.isFinal()) {
                return false;
            }
            if (status == JobStatus.CANCELLING) {
                return true;
            }
            // a waiting job has no message a worker would see the request on: it ends at once
            JobStatus next = status == JobStatus.SCHEDULED || status == JobStatus.PENDING
                    ? JobStatus.CANCELLED : JobStatus.CANCELLING;
            if (entry.swap(old, old.toBuilder().status(next).build())) {
                return true;
            }
        }
    }

    /** {@return how many jobs the store holds} */
    public int size() {
        return byId.size();
    }
}
