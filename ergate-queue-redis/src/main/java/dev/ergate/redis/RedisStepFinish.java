package dev.ergate.redis;

import dev.ergate.Job;
import dev.ergate.JobStatus;
import dev.ergate.spi.AtomicStepFinish;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.LeaseLostException;
import dev.ergate.spi.StaleStateException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Finishes a step in one Lua script: the state update of a {@link RedisJobStore}, the put of the
 * next step and the ack, all in the namespace's slot, so Redis runs them as one atomic step and a
 * crash can't leave the state and the queue disagreeing. With {@link
 * RedisQueueOptions#claimOnFinish()} the same script also claims the next ready job and hands it
 * to the queue's next take.
 *
 * <p>Thread-safe.
 */
final class RedisStepFinish implements AtomicStepFinish {

    private static final byte[] NEXT_NONE = ascii("none");
    private static final byte[] NEXT_SAME_AS_STATE = ascii("state");
    private static final byte[] NEXT_OWN_BODY = ascii("own");
    private static final byte[] NO_BYTES = new byte[0];
    /** Each status's name, encoded once. */
    private static final byte[][] STATUS_NAMES = new byte[JobStatus.values().length][];

    static {
        for (JobStatus status : JobStatus.values()) {
            STATUS_NAMES[status.ordinal()] = ascii(status.name());
        }
    }

    private final RedisJobQueue queue;
    private final RedisJobStore store;
    // the arguments that are the same at every finish of this finisher (options are immutable), encoded once
    private final byte[] retentionMillis;
    private final byte[] claimLeaseMillis;
    private final byte[] maxJobBytes;
    private final byte[] maxDeadLetters;

    RedisStepFinish(RedisJobQueue queue, RedisJobStore store) {
        this.queue = queue;
        this.store = store;
        this.retentionMillis = LuaScript.digits(store.retentionMillis());
        this.claimLeaseMillis = LuaScript.digits(
                queue.options().claimOnFinish() ? queue.options().leaseTime().toMillis() : 0);
        this.maxJobBytes = LuaScript.digits(queue.options().maxJobBytes());
        this.maxDeadLetters = LuaScript.digits(queue.options().maxDeadLetters());
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * @throws IllegalArgumentException if the delivery is not from this finisher's queue
     * @throws dev.ergate.spi.JobTooLargeException if {@code next} is too large; nothing changed
     * @throws ErgateBackendException if Redis fails, or (not transient) the delivery's lease was
     *     lost to another taker; nothing changed then
     * @throws StaleStateException if the {@link dev.ergate.spi.WriteFence} refused the state (the
     *     store holds a newer one): nothing written or put, and the delivery was dropped (acked)
     */
    @Override
    public void finish(Delivery delivery, Job state, @Nullable Job next) {
        Call call = call(delivery, state, next);
        long before = queue.clock().millis();
        Object done = queue.failures().call("finish the step of job ", state.id(),
                () -> Scripts.FINISH_STEP.runEncoded(queue.client(), call.keys(), call.args()));
        settle(call, done, before);
    }

    /**
     * One finish_step.lua call: its keys and arguments, and what {@link #settle} needs. (A finisher
     * that sends several finishes at once builds each with {@link #call} and ends each with {@link
     * #settle}: the script's layout is only here.) Keys and arguments are encoded, for {@link
     * LuaScript#runEncoded}; {@code keys} is the call's own list (a run that names more keys adds them).
     */
    record Call(RedisDelivery lease, Job state, List<byte[]> keys, List<byte[]> args,
            RedisStartOnTake.@Nullable Plan plan) {
    }

    /**
     * {@return the script call that finishes {@code delivery} with {@code state} and puts {@code next}}
     *
     * @throws IllegalArgumentException if the delivery is not from this finisher's queue
     * @throws dev.ergate.spi.JobTooLargeException if {@code next} is too large
     */
    Call call(Delivery delivery, Job state, @Nullable Job next) {
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(state, "state");
        if (!(delivery instanceof RedisDelivery lease) || lease.queue() != queue) {
            throw new IllegalArgumentException(delivery + " was not taken from " + queue);
        }
        RedisJobStore.Row row = store.row(state);
        // the runtime puts the very state it writes (same object): encode and send it once
        byte[] nextMode;
        byte[] nextBody;
        if (next == null) {
            nextMode = NEXT_NONE;
            nextBody = NO_BYTES;
        } else if (next == state) {
            queue.checkSize(next, row.json());
            nextMode = NEXT_SAME_AS_STATE;
            nextBody = NO_BYTES;
        } else {
            nextMode = NEXT_OWN_BODY;
            nextBody = queue.encode(next);
        }
        long nextDue = next == null ? 0 : RedisJobQueue.dueMillis(next);
        RedisKeys k = queue.keys();
        // the claim of the next job starts its step too (start on take): QUEUED -> RUNNING, by the plan
        RedisStartOnTake starter = queue.options().claimOnFinish() ? queue.starter() : null;
        RedisStartOnTake.Plan plan = starter == null ? null : starter.plan();
        // the usual move is RUNNING -> the state's status (lib.lua names any other index it needs);
        // one list, with room for the start on take's two keys and for keys a run may name
        List<byte[]> keys = k.finishKeys(row.member(), state.status(), 4);
        if (plan != null) {
            if (state.status() != JobStatus.QUEUED) {
                keys.add(k.statusIndexBytes(JobStatus.QUEUED));
            }
            keys.add(plan.key);
        }
        // the arguments, encoded here at once (finish_step.lua's ARGV order)
        List<byte[]> args = Arrays.asList(utf8(lease.messageId()), LuaScript.digits(lease.deliveryCount()),
                utf8(row.member()), row.json(), STATUS_NAMES[state.status().ordinal()], utf8(row.workflow()),
                retentionMillis, LuaScript.digits(queue.clock().millis()), LuaScript.digits(row.steps()),
                k.indexPrefixBytes(), k.jobPrefixBytes(), nextMode, nextBody, LuaScript.digits(nextDue),
                claimLeaseMillis, maxJobBytes, maxDeadLetters, LuaScript.digits(next == null ? 0 : next.priority()),
                LuaScript.digits(row.attempt()), plan == null ? NO_BYTES : plan.key);
        return new Call(lease, state, keys, args, plan);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Ends a finish by the script's {@code reply}: hands a job it claimed to the queue's next take
     * ({@code before}: this JVM's clock just before the script ran), or throws as {@link #finish}.
     */
    void settle(Call call, @Nullable Object reply, long before) {
        RedisDelivery lease = call.lease();
        Job state = call.state();
        if (reply instanceof List<?> claimed) {
            lease.finished();
            queue.handOver(new RedisJobQueue.Claimed(claimed, before, call.plan()));
            store.afterWrite(state);
            return;
        }
        if (Long.valueOf(-1).equals(reply)) {
            lease.finished();
            throw new StaleStateException(queue + " (message " + lease.messageId() + "): "
                    + store.stale(state).getMessage() + ", no next step put, the stale delivery dropped", null);
        }
        if (!Long.valueOf(1).equals(reply)) {
            throw new LeaseLostException(queue + ": can't finish the step of job " + state.id() + " (message "
                    + lease.messageId() + ", delivery " + lease.deliveryCount() + "): its lease was lost, the job was"
                    + " delivered again; nothing was written, the new delivery will finish it", null);
        }
        lease.finished();
        store.afterWrite(state);
    }
}
