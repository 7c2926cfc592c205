package dev.ergate.redis;

import dev.ergate.Job;
import dev.ergate.spi.AtomicSubmit;
import java.util.ArrayList;
import java.util.List;

/**
 * Submits jobs in one Lua script per call ({@code submit.lua}): each job's first state in a
 * {@link RedisJobStore} of the same {@link RedisBackend} and its put, all in the namespace's slot,
 * so a single submit is one round trip instead of two and a batch is one round trip for all its
 * jobs. Batches are cut into scripts of at most {@value #MAX_PER_SCRIPT} jobs, so one script
 * never blocks Redis for long; each script is all or nothing.
 *
 * <p>Thread-safe.
 */
final class RedisSubmit implements AtomicSubmit {

    /** Jobs per script at most: Redis runs nothing else while a script runs. */
    static final int MAX_PER_SCRIPT = 200;

    private final RedisJobQueue queue;
    private final RedisJobStore store;

    RedisSubmit(RedisJobQueue queue, RedisJobStore store) {
        this.queue = queue;
        this.store = store;
    }

    /**
     * @throws IllegalArgumentException if a job has no id
     * @throws dev.ergate.spi.JobTooLargeException if a job is too large; nothing was written
     * @throws dev.ergate.spi.ErgateBackendException if Redis fails; the scripts that ran before
     *     (of {@value #MAX_PER_SCRIPT} jobs each) were written, the rest not
     */
    @Override
    public void submit(List<Job> jobs) {
        // encode and check every job first, so a job too large fails the call before anything is written
        List<RedisJobStore.Row> rows = new ArrayList<>(jobs.size());
        for (Job job : jobs) {
            RedisJobStore.Row row = store.row(job);
            queue.checkSize(job, row.json());
            rows.add(row);
        }
        for (int from = 0; from < rows.size(); from += MAX_PER_SCRIPT) {
            int to = Math.min(rows.size(), from + MAX_PER_SCRIPT);
            run(jobs.subList(from, to), rows.subList(from, to));
        }
    }

    private void run(List<Job> jobs, List<RedisJobStore.Row> rows) {
        RedisKeys k = queue.keys();
        List<byte[]> keys = k.queueAndStoreKeys(rows.get(0).member());
        List<Object> args = new ArrayList<>(4 + 7 * rows.size());
        args.add(store.retentionMillis());
        args.add(queue.clock().millis());
        args.add(k.indexPrefixBytes());
        args.add(k.jobPrefixBytes());
        for (int i = 0; i < rows.size(); i++) {
            RedisJobStore.Row row = rows.get(i);
            if (i > 0) {
                keys.add(k.storeKeys(row.member()).get(0));
            }
            args.add(row.member());
            args.add(row.json());
            args.add(row.status());
            args.add(row.workflow());
            args.add(RedisJobQueue.dueMillis(jobs.get(i)));
            args.add(row.steps());
            args.add(jobs.get(i).priority());
        }
        String[] workflows = rows.stream().map(RedisJobStore.Row::workflow).distinct().toArray(String[]::new);
        List<byte[]> declared = k.withIndexes(keys, workflows);
        String what = jobs.size() == 1 ? "submit job " + jobs.get(0).id() : "submit " + jobs.size() + " jobs";
        queue.failures().call(what, () -> Scripts.SUBMIT.run(queue.client(), declared, args));
    }
}
