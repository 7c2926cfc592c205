package dev.ergate.redis;

import dev.ergate.Job;
import dev.ergate.internal.Combiner;
import dev.ergate.spi.AtomicStepFinish;
import dev.ergate.spi.Delivery;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
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
 * one connection, one write, one read of all the replies, leader/follower ({@link Combiner}, with
 * no thread of its own): a finish that finds fewer than {@link #LANES} pipelines in flight is sent
 * at once by its own thread, with whatever waits; the ones that arrive while all lanes are busy
 * wait, and the first of them to be woken when one is answered sends them all.
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
    /**
     * The most pipelines in flight at once. With one, Redis idles from each pipeline's reply
     * until the next one arrives (the hand-over to the woken threads); a second one fills that
     * gap: 1.04 - 1.25x the burn-down rate for a little more JVM CPU per step (smaller batches),
     * BENCHMARKS.md, "Redis: two pipelines of finishes in flight".
     */
    static final int LANES = 2;

    private final RedisStepFinish single;
    private final RedisJobQueue queue;
    private final Combiner<Pending> combiner = new Combiner<>(MAX_BATCH, LANES, "finishing the step", this::send);
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
        Pending pending = new Pending(call, call.keys(), call.args(), queue.clock().millis());
        combiner.submit(pending);
        single.settle(call, pending.reply, pending.before);
    }

    /** {@return how many pipelines of two or more finishes were sent (for tests)} */
    long pipelinesSent() {
        return pipelines.sum();
    }

    /** {@return how many finishes wait to be sent (for tests)} */
    int waiting() {
        return combiner.waiting();
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

    /** One finish in a batch: its call, encoded once, and the script's reply once it came. */
    static final class Pending {
        final RedisStepFinish.Call call;
        final List<byte[]> keys;
        final List<byte[]> args;
        final long before;
        /** The script's reply; written by the sending thread before the combiner releases the caller. */
        @Nullable Object reply;

        Pending(RedisStepFinish.Call call, List<byte[]> keys, List<byte[]> args, long before) {
            this.call = call;
            this.keys = keys;
            this.args = args;
            this.before = before;
        }
    }
}
