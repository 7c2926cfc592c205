package dev.ergate.redis;

import dev.ergate.Job;
import dev.ergate.JobStatus;
import dev.ergate.internal.Combiner;
import dev.ergate.spi.AtomicSubmit;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Submits jobs in one Lua script per call ({@code submit.lua}): each job's first state in a
 * {@link RedisJobStore} of the same {@link RedisBackend} and its put, all in the namespace's slot,
 * so a single submit is one round trip instead of two and a batch is one round trip for all its
 * jobs. Batches are cut into scripts of at most {@value #MAX_PER_SCRIPT} jobs, so one script
 * never blocks Redis for long; each script is all or nothing.
 *
 * <p>Single submits that several threads make at the same time share one script, leader/follower
 * ({@link Combiner}) as {@link RedisFinishPipeline} shares a pipeline: a submit that
 * finds none in flight is sent at once by its own thread; the ones that arrive meanwhile wait,
 * and the first of them to be woken sends them all in one {@code submit.lua} call (Redis pays a
 * script's entry and its per-call commands once for all of them, see the script). When that
 * call fails on a job (a final job of its id) it wrote nothing, and each submit of the group is
 * run again alone, so each caller gets its own answer.
 *
 * <p>Thread-safe.
 */
final class RedisSubmit implements AtomicSubmit {

    /** Jobs per script at most: Redis runs nothing else while a script runs. */
    static final int MAX_PER_SCRIPT = 200;
    /** The most single submits sharing one script. */
    static final int MAX_GROUP = 64;

    private static final byte[] QUEUED_STATUS = JobStatus.QUEUED.name().getBytes(StandardCharsets.UTF_8);

    private final RedisJobQueue queue;
    private final RedisJobStore store;
    private final Combiner<Pending> combiner = new Combiner<>(MAX_GROUP, "submitting the job", this::send);
    private final LongAdder groups = new LongAdder();
    /** Test-only: runs on the sending thread before each group of single submits goes out. */
    private volatile @Nullable Runnable beforeSend;

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
        List<Encoded> encoded = new ArrayList<>(jobs.size());
        for (Job job : jobs) {
            encoded.add(encode(job));
        }
        if (encoded.size() == 1) {
            combiner.submit(new Pending(encoded.get(0), jobs.get(0)));
            return;
        }
        for (int from = 0; from < encoded.size(); from += MAX_PER_SCRIPT) {
            List<Encoded> chunk = encoded.subList(from, Math.min(encoded.size(), from + MAX_PER_SCRIPT));
            queue.failures().call("submit " + chunk.size() + " jobs", () -> run(chunk));
        }
    }

    /** One job as the script takes it, encoded by the submitting thread. */
    private Encoded encode(Job job) {
        RedisJobStore.Row row = store.row(job);
        queue.checkSize(job, row.json());
        RedisKeys k = queue.keys();
        byte[] status = row.status().equals(JobStatus.QUEUED.name())
                ? QUEUED_STATUS : row.status().getBytes(StandardCharsets.UTF_8);
        return new Encoded(k.jobBytes(row.member()), row.status(), row.workflow(), new byte[][] {
                row.member().getBytes(StandardCharsets.UTF_8), row.json(), status,
                row.workflow().getBytes(StandardCharsets.UTF_8), LuaScript.digits(RedisJobQueue.dueMillis(job)),
                LuaScript.digits(row.steps()), LuaScript.digits(job.priority())});
    }

    /**
     * Runs one script for {@code jobs}: the queue keys, the store keys, every job key, then the
     * status and workflow indexes the jobs are written to (a stored job's other indexes are named
     * by the script and declared on a second run, see {@link LuaScript}).
     */
    private @Nullable Object run(List<Encoded> jobs) {
        RedisKeys k = queue.keys();
        List<byte[]> keys = new ArrayList<>(k.queueKeys().size() + 3 + jobs.size() + 2);
        keys.addAll(k.queueKeys());
        keys.add(jobs.get(0).jobKey());
        keys.add(k.jobSeqBytes());
        keys.add(k.expiringBytes());
        keys.add(k.allJobsBytes());
        for (int i = 1; i < jobs.size(); i++) {
            keys.add(jobs.get(i).jobKey());
        }
        Set<String> statuses = new LinkedHashSet<>(2);
        Set<String> workflows = new LinkedHashSet<>(2);
        for (Encoded job : jobs) {
            if (statuses.add(job.status())) {
                keys.add(k.statusIndexBytes(JobStatus.valueOf(job.status())));
            }
            if (workflows.add(job.workflow())) {
                keys.add(k.workflowIndexBytes(job.workflow()));
            }
        }
        List<byte[]> args = new ArrayList<>(4 + 7 * jobs.size());
        args.add(LuaScript.digits(store.retentionMillis()));
        args.add(LuaScript.digits(queue.clock().millis()));
        args.add(k.indexPrefixBytes());
        args.add(k.jobPrefixBytes());
        for (Encoded job : jobs) {
            for (byte[] arg : job.args()) {
                args.add(arg);
            }
        }
        return Scripts.SUBMIT.runEncoded(queue.client(), keys, args);
    }

    /**
     * Sends one group as one script. A script that Redis refused (a job of the group can't be
     * written) wrote nothing: each submit is then run alone, for its own answer.
     *
     * @return each submit's failure, or null
     */
    private List<@Nullable RuntimeException> send(List<Pending> group) {
        Runnable hook = beforeSend;
        if (hook != null) {
            hook.run();
        }
        if (group.size() == 1) {
            return Collections.singletonList(runAlone(group.get(0)));
        }
        List<Encoded> jobs = new ArrayList<>(group.size());
        for (Pending pending : group) {
            jobs.add(pending.job);
        }
        try {
            run(jobs);
            groups.increment();
            return List.of();
        } catch (JedisDataException refused) {
            List<@Nullable RuntimeException> failures = new ArrayList<>(group.size());
            for (Pending pending : group) {
                failures.add(runAlone(pending));
            }
            return failures;
        } catch (JedisException e) {
            return Collections.nCopies(group.size(),
                    queue.failures().translate("submit " + group.size() + " jobs in one script", e));
        }
    }

    private @Nullable RuntimeException runAlone(Pending pending) {
        try {
            run(List.of(pending.job));
            return null;
        } catch (JedisException e) {
            return queue.failures().translate("submit job " + pending.source.id(), e);
        }
    }

    /** {@return how many scripts of two or more single submits were sent (for tests)} */
    long groupsSent() {
        return groups.sum();
    }

    /** {@return how many single submits wait to be sent (for tests)} */
    int waiting() {
        return combiner.waiting();
    }

    /** Test-only: {@code hook} runs on the sending thread before each group of single submits goes out. */
    void beforeSend(@Nullable Runnable hook) {
        this.beforeSend = hook;
    }

    /** One job, encoded: its key, status and workflow (for the index keys), and its seven script arguments. */
    private record Encoded(byte[] jobKey, String status, String workflow, byte[][] args) {
    }

    /** One single submit waiting in a group: its job, encoded, and the job it came from. */
    private record Pending(Encoded job, Job source) {
    }
}
