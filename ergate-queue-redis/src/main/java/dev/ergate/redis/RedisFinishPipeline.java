package dev.ergate.redis;

import dev.ergate.Job;
import dev.ergate.spi.AtomicStepFinish;
import dev.ergate.spi.Delivery;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Finishes steps as {@link RedisStepFinish} does, one {@code finish_step.lua} call per step, but
 * the finishes that several worker threads make at the same time go to Redis in one pipeline:
 * one connection, one write, one read of all the replies. Leader/follower, as the PostgreSQL
 * queue's group commit ({@code Batcher}), with no thread of its own: a finish that finds no
 * pipeline in flight is sent at once by its own thread, alone; the ones that arrive while one is
 * in flight wait, and the first of them to be woken when it is answered sends them all. Each
 * waiting thread is woken once, when its reply is there (or to lead the next pipeline), not at
 * every pipeline's end.
 *
 * <p>Each script is still its own atomic unit and each caller gets its own reply: a lease lost,
 * a stale state or an error of one finish fails that finish alone. Leases, fences and the claim
 * on finish are those of {@link RedisStepFinish}. Made by {@link RedisJobQueue#atomicStepFinish}
 * when {@link RedisQueueOptions#pipelineFinishes()} is on.
 *
 * <p>Thread-safe.
 */
final class RedisFinishPipeline implements AtomicStepFinish {

    /** The most finishes in one pipeline. */
    static final int MAX_BATCH = 32;

    private final RedisStepFinish single;
    private final RedisJobQueue queue;
    /** Finishes not sent yet, oldest first. */
    private final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();
    /** Whether a thread is sending (a finish alone or a pipeline): the others wait for it. */
    private final AtomicBoolean sending = new AtomicBoolean();
    private final LongAdder pipelines = new LongAdder();
    /** Test-only: sees each batch before it is sent (by the thread that sends it). */
    private volatile @Nullable Consumer<List<Pending>> beforeSend;

    RedisFinishPipeline(RedisJobQueue queue, RedisJobStore store) {
        this.single = new RedisStepFinish(queue, store);
        this.queue = queue;
    }

    /**
     * As {@link RedisStepFinish#finish}; returns once the pipeline holding this finish has been
     * answered.
     */
    @Override
    public void finish(Delivery delivery, Job state, @Nullable Job next) {
        RedisStepFinish.Call call = single.call(delivery, state, next);
        // the lease of a job the script claims counts from here, before the script can have run
        Pending pending = new Pending(call, LuaScript.toBytes(call.keys()), LuaScript.toBytes(call.args()),
                queue.clock().millis());
        submit(pending);
        RuntimeException failure = pending.failure;
        if (failure != null) {
            throw failure;
        }
        single.settle(call, pending.reply, pending.before);
    }

    /**
     * Returns once {@code pending} was sent and answered, by this thread (alone, or leading the
     * ones waiting) or by another. An interrupt does not cut the wait short (the finish may be in
     * the pipeline in flight: its outcome must be awaited, not guessed); it is kept for the caller.
     */
    private void submit(Pending pending) {
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
                    // finishes that came while this thread was sending: wake the oldest to send
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

    /** Sends up to {@value #MAX_BATCH} waiting finishes, and wakes their threads once answered. */
    private void sendWaiting() {
        List<Pending> batch = new ArrayList<>();
        Pending next;
        while (batch.size() < MAX_BATCH && (next = waiting.poll()) != null) {
            batch.add(next);
        }
        if (batch.isEmpty()) {
            return;
        }
        List<? extends @Nullable RuntimeException> failures;
        try {
            failures = send(batch);
        } catch (RuntimeException e) {
            failures = Collections.nCopies(batch.size(), e);
        } catch (Error e) {
            for (Pending pending : batch) {
                pending.failure = new IllegalStateException("finishing the step failed: " + e, e);
                pending.done = true;
                LockSupport.unpark(pending.thread);
            }
            throw e;
        }
        for (int i = 0; i < batch.size(); i++) {
            Pending pending = batch.get(i);
            pending.failure = i < failures.size() ? failures.get(i) : null;
            pending.done = true; // publishes reply and failure to the waiting thread
            LockSupport.unpark(pending.thread);
        }
    }

    /** {@return how many pipelines of two or more finishes were sent (for tests)} */
    long pipelinesSent() {
        return pipelines.sum();
    }

    /** {@return how many finishes wait to be sent (for tests)} */
    int waiting() {
        return waiting.size();
    }

    /** Test-only: {@code hook} sees each batch, on the sending thread, before it goes out. */
    void beforeSend(@Nullable Consumer<List<Pending>> hook) {
        this.beforeSend = hook;
    }

    /**
     * Sends one batch: a single finish as a plain call; several in one pipeline. A call that the
     * pipeline could not run as it was (the server lost the script, the script needs more keys)
     * is run again alone.
     *
     * @return each finish's failure, or null
     */
    private List<@Nullable RuntimeException> send(List<Pending> batch) {
        Consumer<List<Pending>> hook = beforeSend;
        if (hook != null) {
            hook.accept(batch);
        }
        UnifiedJedis client = queue.client();
        if (batch.size() == 1) {
            Pending only = batch.get(0);
            only.reply = queue.failures().call("finish the step of job ", only.call.state().id(),
                    () -> Scripts.FINISH_STEP.runEncoded(client, only.keys, only.args));
            return List.of();
        }
        List<Response<Object>> replies = new ArrayList<>(batch.size());
        queue.failures().call("finish " + batch.size() + " steps in one pipeline", () -> {
            try (AbstractPipeline pipeline = client.pipelined()) {
                for (Pending pending : batch) {
                    replies.add(Scripts.FINISH_STEP.queue(client, pipeline, pending.keys, pending.args));
                }
                pipeline.sync();
            }
            return null;
        });
        pipelines.increment();
        List<@Nullable RuntimeException> failures = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Pending pending = batch.get(i);
            RuntimeException failure = null;
            try {
                pending.reply = replies.get(i).get();
            } catch (JedisDataException e) {
                failure = LuaScript.mustRunAlone(e) ? runAlone(client, pending) : translate(pending, e);
            }
            failures.add(failure);
        }
        return failures;
    }

    private @Nullable RuntimeException runAlone(UnifiedJedis client, Pending pending) {
        try {
            pending.reply = Scripts.FINISH_STEP.runEncoded(client, pending.keys, pending.args);
            return null;
        } catch (JedisException e) {
            return translate(pending, e);
        }
    }

    private RuntimeException translate(Pending pending, JedisException e) {
        return queue.failures().translate("finish the step of job " + pending.call.state().id(), e);
    }

    /** One finish in a batch: its call, encoded once, its thread, and the outcome once it came. */
    static final class Pending {
        final RedisStepFinish.Call call;
        final List<byte[]> keys;
        final List<byte[]> args;
        final long before;
        final Thread thread = Thread.currentThread();
        /** The script's reply; written by the sending thread before {@link #done}. */
        @Nullable Object reply;
        /** The finish's failure, or null; written by the sending thread before {@link #done}. */
        @Nullable RuntimeException failure;
        volatile boolean done;

        Pending(RedisStepFinish.Call call, List<byte[]> keys, List<byte[]> args, long before) {
            this.call = call;
            this.keys = keys;
            this.args = args;
            this.before = before;
        }
    }
}
