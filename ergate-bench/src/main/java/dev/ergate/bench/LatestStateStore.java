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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The memory backend's store: only the latest state of each job, so a long benchmark measures
 * the engine and not a growing history. Follows the {@link JobStore} contract; {@link #list}
 * pages in first-write order. Thread-safe, lock-free on the step path.
 */
public final class LatestStateStore implements JobStore {

    private record Entry(long position, Job job) {
    }

    /** Sized for a pre-loaded benchmark run, so the first tens of thousands of jobs don't resize it. */
    private final ConcurrentHashMap<JobId, Entry> byId = new ConcurrentHashMap<>(1 << 16);
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
            return new Entry(byPosition.append(key), job);
        });
        return written[0];
    }

    private void write(Job job, boolean fenced) {
        JobId id = idOf(job);
        byId.compute(id, (key, old) -> {
            if (old == null) {
                return new Entry(byPosition.append(key), job);
            }
            if (!fenced) {
                return new Entry(old.position(), job);
            }
            if (WriteFence.refuses(old.job(), job)) {
                throw new StaleStateException("latest-state store: " + WriteFence.describe(old.job(), job), null);
            }
            if (old.job().status() == JobStatus.CANCELLING && !job.status().isFinal()) {
                return new Entry(old.position(), job.toBuilder().status(JobStatus.CANCELLING).build());
            }
            return new Entry(old.position(), job);
        });
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
        StepStart[] start = {StepStart.STARTED};
        byId.compute(id, (key, old) -> {
            if (old == null) {
                return new Entry(byPosition.append(key), running);
            }
            start[0] = StepStart.over(old.job(), running);
            return start[0] == StepStart.STARTED ? new Entry(old.position(), running) : old;
        });
        return start[0];
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
        boolean[] cancelling = new boolean[1];
        byId.computeIfPresent(id, (key, entry) -> {
            JobStatus status = entry.job().status();
            if (status.isFinal()) {
                return entry;
            }
            cancelling[0] = true;
            if (status == JobStatus.CANCELLING) {
                return entry;
            }
            // a waiting job has no message a worker would see the request on: it ends at once
            JobStatus next = status == JobStatus.SCHEDULED || status == JobStatus.PENDING
                    ? JobStatus.CANCELLED : JobStatus.CANCELLING;
            return new Entry(entry.position(), entry.job().toBuilder().status(next).build());
        });
        return cancelling[0];
    }

    /** {@return how many jobs the store holds} */
    public int size() {
        return byId.size();
    }
}
