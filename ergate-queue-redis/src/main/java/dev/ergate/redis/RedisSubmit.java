package dev.ergate.redis;

import dev.ergate.Job;
import dev.ergate.JobStatus;
import dev.ergate.spi.AtomicSubmit;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
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
 * as {@link RedisFinishPipeline} shares a pipeline, with no thread of its own: a submit that
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
    /** Single submits not sent yet, oldest first. */
    private final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();
    /** Whether a thread is sending a group: the others wait for it. */
    private final AtomicBoolean sending = new AtomicBoolean();
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
            Pending pending = new Pending(encoded.get(0), jobs.get(0));
            submitGrouped(pending);
            RuntimeException failure = pending.failure;
            if (failure != null) {
                throw failure;
            }
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
     * Returns once {@code pending} was sent and answered, by this thread (alone, or leading the
     * ones waiting) or by another. An interrupt does not cut the wait short (the submit may be in
     * the script in flight: its outcome must be awaited, not guessed); it is kept for the caller.
     */
    private void submitGrouped(Pending pending) {
        waiting.add(pending);
        boolean interrupted = false;
        while (!pending.done) {
            if (sending.compareAndSet(false, true)) {
                try {
                    if (!pending.done) {
                        sendWaiting();
                    }
                } finally {
                    sending.set(false);
                    // submits that came while this thread was sending: wake the oldest to send
                    // them (it added itself before it saw this thread sending, so it is seen here)
                    Pending next = waiting.peek();
                    if (next != null) {
                        LockSupport.unpark(next.thread);
                    }
                }
            } else {
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends up to {@value #MAX_GROUP} waiting submits in one script, and wakes their threads once answered. */
    private void sendWaiting() {
        List<Pending> group = new ArrayList<>();
        Pending next;
        while (group.size() < MAX_GROUP && (next = waiting.poll()) != null) {
            group.add(next);
        }
        if (group.isEmpty()) {
            return;
        }
        try {
            send(group);
        } catch (RuntimeException | Error e) {
            for (Pending pending : group) {
                if (pending.failure == null) {
                    pending.failure = e instanceof RuntimeException runtime ? runtime
                            : new IllegalStateException("submitting the job failed: " + e, e);
                }
            }
            if (e instanceof Error error) {
                wake(group);
                throw error;
            }
        }
        wake(group);
    }

    private static void wake(List<Pending> group) {
        for (Pending pending : group) {
            pending.done = true; // publishes the failure to the waiting thread
            LockSupport.unpark(pending.thread);
        }
    }

    /**
     * Sends one group as one script. A script that Redis refused (a job of the group can't be
     * written) wrote nothing: each submit is then run alone, for its own answer.
     */
    private void send(List<Pending> group) {
        Runnable hook = beforeSend;
        if (hook != null) {
            hook.run();
        }
        if (group.size() == 1) {
            Pending only = group.get(0);
            only.failure = runAlone(only);
            return;
        }
        List<Encoded> jobs = new ArrayList<>(group.size());
        for (Pending pending : group) {
            jobs.add(pending.job);
        }
        try {
            run(jobs);
            groups.increment();
        } catch (JedisDataException refused) {
            for (Pending pending : group) {
                pending.failure = runAlone(pending);
            }
        } catch (JedisException e) {
            RuntimeException failure = queue.failures().translate("submit " + group.size() + " jobs in one script", e);
            for (Pending pending : group) {
                pending.failure = failure;
            }
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
        return waiting.size();
    }

    /** Test-only: {@code hook} runs on the sending thread before each group of single submits goes out. */
    void beforeSend(@Nullable Runnable hook) {
        this.beforeSend = hook;
    }

    /** One job, encoded: its key, status and workflow (for the index keys), and its seven script arguments. */
    private record Encoded(byte[] jobKey, String status, String workflow, byte[][] args) {
    }

    /** One single submit waiting in a group: its job, its thread, and the outcome once it came. */
    private static final class Pending {
        final Encoded job;
        final Job source;
        final Thread thread = Thread.currentThread();
        /** The submit's failure, or null; written by the sending thread before {@link #done}. */
        @Nullable RuntimeException failure;
        volatile boolean done;

        Pending(Encoded job, Job source) {
            this.job = job;
            this.source = source;
        }
    }
}
