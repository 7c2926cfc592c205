package dev.ergate.redis;

import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.internal.Deadlines;
import dev.ergate.internal.JobSizes;
import dev.ergate.internal.UndecodableMessages;
import dev.ergate.spi.AtomicStepFinish;
import dev.ergate.spi.AtomicSubmit;
import dev.ergate.spi.DeadLetter;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.ErgateBackendException;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.JobTooLargeException;
import dev.ergate.spi.QueueCounts;
import dev.ergate.spi.QueueStats;
import dev.ergate.spi.StateStore;
import dev.ergate.spi.StepPlan;
import dev.ergate.spi.WriteFence;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * A reliable job queue on Redis, made by {@link RedisBackend#queue()}: lists, sorted sets and one
 * Lua script per take, leases that run out, waiting takers blocked in {@code BLPOP} (no polling
 * thread), bad or too-often-delivered messages to {@link #deadLetters(int)}; at-least-once. The
 * why: the module README, "Why lists, sorted sets and Lua". Thread-safe; each blocked take holds
 * a pooled connection ({@link #checkCapacity(int)}).
 */
public final class RedisJobQueue implements JobQueue, QueueStats {

    /** The longest single blocking wait, in seconds. */
    static final long MAX_BLOCK_SECONDS = 2;
    /** The longest single blocking wait. */
    static final Duration MAX_BLOCK = Duration.ofSeconds(MAX_BLOCK_SECONDS);
    /** Connections beyond the blocked takers' that puts, acks and store writes need. */
    static final int CAPACITY_HEADROOM = 2;

    private static final Logger LOG = LoggerFactory.getLogger(RedisJobQueue.class);

    private final RedisBackend backend;
    private final RedisQueueOptions options;
    private final RedisKeys keys;
    private final JobCodec codec;
    private final Clock clock;
    private final RedisFailures failures;
    private final String[] waitKeys;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set by {@link #startOnTake}: the claims then start steps too. */
    private volatile @Nullable RedisStartOnTake starter;
    /** Messages an atomic finish claimed for the next take (see {@link RedisQueueOptions#claimOnFinish()}). */
    private final ConcurrentLinkedQueue<Claimed> claimedOnFinish = new ConcurrentLinkedQueue<>();

    /**
     * A message a claim script leased: its reply ({@code id, body, delivery count, server now},
     * then with start on take the started step's index and name), this JVM's clock just before
     * the script ran, from which the lease deadline is counted (Redis decides leases by its own
     * clock; counting from before the call keeps this worker's idea of its lease on the safe side
     * whatever its clock says), and the plan the claim started steps by (null: none).
     */
    record Claimed(List<?> reply, long before, RedisStartOnTake.@Nullable Plan plan) {
    }

    RedisJobQueue(RedisBackend backend, RedisQueueOptions options) {
        this.backend = backend;
        this.options = options;
        this.keys = new RedisKeys(backend.options().namespace(), options.name());
        this.codec = backend.options().codec();
        this.clock = backend.options().clock();
        this.failures = backend.failures();
        this.waitKeys = new String[] {keys.signal(), keys.wake()};
    }

    /** {@return the queue's options} */
    public RedisQueueOptions options() {
        return options;
    }

    /** {@return the configured lease a take gets ({@link RedisQueueOptions#leaseTime()}): the worker renews by it} */
    @Override
    public Duration leaseTime() {
        return options.leaseTime();
    }

    /**
     * Idempotent per job step: a put of a job whose message for the same step and attempt is
     * still on the queue (ready, delayed or leased) leaves that one message, so a client that
     * retries a put whose reply it lost does not double the job.
     *
     * @throws JobTooLargeException if the job's JSON is over {@link RedisQueueOptions#maxJobBytes()}
     * @throws ErgateBackendException if Redis fails, or the queue is closed
     */
    @Override
    public void put(Job job) {
        Objects.requireNonNull(job, "job");
        byte[] body = encode(job);
        long due = dueMillis(job);
        ensureOpen("put");
        failures.call("put job " + job.id() + " of workflow '" + job.workflowName() + "'",
                () -> Scripts.PUT.run(client(), keys.queueKeys(), List.of(body, due, job.priority(), putToken(job))));
    }

    /**
     * {@return what makes a put idempotent: the job's member, steps completed and attempt; a put
     * of the same token while its message exists (a retry after a lost reply) leaves one
     * message. Empty for a job without an id}
     */
    static String putToken(Job job) {
        JobId id = job.id();
        return id == null ? "" : RedisKeys.member(id) + "|" + job.stepsCompleted() + "|" + WriteFence.attemptOf(job);
    }

    /**
     * Takes the next job and leases it for {@link RedisQueueOptions#leaseTime()}: a job whose
     * lease ran out first, then the ready one of the highest {@link Job#priority()}, the oldest
     * among equals. Messages that are not jobs, or delivered
     * too often, are moved to the dead letters on the way.
     *
     * @param maxWait the longest time to block; zero means "don't block"
     * @throws InterruptedException if the thread is interrupted (looked at between waits of at
     *     most {@value #MAX_BLOCK_SECONDS} s)
     * @throws ErgateBackendException if Redis fails, or the queue is closed
     */
    @Override
    public Optional<Delivery> take(Duration maxWait) throws InterruptedException {
        long deadline = Deadlines.takeDeadline(maxWait);
        long leaseMillis = options.leaseTime().toMillis();
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while taking from " + this);
            }
            ensureOpen("take");
            Claimed handedOver = claimedOnFinish.poll();
            if (handedOver != null) {
                Optional<Delivery> delivery = deliver(handedOver);
                if (delivery.isPresent()) {
                    return delivery;
                }
                continue; // dead-lettered: look again at once
            }
            RedisStartOnTake start = starter;
            RedisStartOnTake.Plan plan = start == null ? null : start.plan();
            long before = clock.millis();
            Object reply = failures.call("take", () -> plan == null
                    ? Scripts.CLAIM.run(client(), keys.queueKeys(),
                            List.of(leaseMillis, options.maxJobBytes(), options.maxDeadLetters()))
                    : Scripts.CLAIM.run(client(), plan.claimKeys, List.of(leaseMillis, options.maxJobBytes(),
                            options.maxDeadLetters(), plan.key, keys.jobPrefixBytes(), keys.indexPrefixBytes(), before)));
            if (reply instanceof List<?> claimed) {
                Optional<Delivery> delivery = deliver(new Claimed(claimed, before, plan));
                if (delivery.isPresent()) {
                    return delivery;
                }
                continue; // dead-lettered: look again at once
            }
            long remaining = Deadlines.remainingNanos(deadline);
            if (remaining <= 0) {
                return Optional.empty();
            }
            long waitMillis = Math.min(TimeUnit.NANOSECONDS.toMillis(remaining) + 1, MAX_BLOCK.toMillis());
            long nextDueIn = reply instanceof Long due ? due : -1; // ms from Redis's now
            if (nextDueIn >= 0) {
                waitMillis = Math.min(waitMillis, nextDueIn);
            }
            double waitSeconds = Math.max(waitMillis, 1) / 1000.0;
            failures.call("take (waiting)", () -> client().blpop(waitSeconds, waitKeys));
        }
    }

    private Optional<Delivery> deliver(Claimed claim) {
        List<?> claimed = claim.reply();
        String messageId = text(claimed.get(0));
        byte[] body = (byte[]) claimed.get(1);
        int deliveryCount = (int) (long) (Long) claimed.get(2);
        long serverNow = (Long) claimed.get(3);
        Instant leaseExpiresAt = Instant.ofEpochMilli(claim.before() + options.leaseTime().toMillis());
        Job job = UndecodableMessages.decodeOrDeadLetter(codec, body, reason -> {
            LOG.warn("Redis queue '{}': message {} is {}; moved to the dead letters: {}", options.name(), messageId,
                    reason, UndecodableMessages.preview(body));
            deadLetter(messageId, deliveryCount, body, reason, null);
        });
        if (job == null) {
            return Optional.empty();
        }
        long due = dueMillis(job);
        if (due > serverNow) {
            // only a raw-pushed document can be early (put delays by the due time): give it back
            // delayed until then, not counted as a delivery
            long delay = due - serverNow;
            failures.call("delay message " + messageId + " until its requested_start_time", () -> Scripts.RELEASE.run(
                    client(), keys.queueKeys(), List.of(messageId, deliveryCount, delay, 1)));
            return Optional.empty();
        }
        RedisDelivery delivery = new RedisDelivery(this, messageId, deliveryCount, job, body, leaseExpiresAt,
                startedState(claim, job));
        int max = options.maxDeliveries();
        if (max > 0 && deliveryCount > max) {
            String reason = "delivered " + deliveryCount + " times, over maxDeliveries=" + max
                    + " (its workers keep dying or giving it back)";
            delivery.deadLetter(reason); // logs it
            return Optional.empty();
        }
        return Optional.of(delivery);
    }

    /**
     * {@return the RUNNING state the claim recorded for {@code job} (start_claimed in lib.lua: the
     * stored JSON kept, status RUNNING and the step marked), or null when it started nothing}
     */
    private @Nullable Job startedState(Claimed claim, Job job) {
        List<?> reply = claim.reply();
        if (reply.size() < 6 || !(reply.get(4) instanceof Long index)) {
            return null;
        }
        if (index == -2 && claim.plan() != null) {
            Objects.requireNonNull(starter).planLost(claim.plan()); // gone from Redis: written again before the next claim
        }
        return index < 0 ? null : RedisJobStore.started(job, text(reply.get(5)), (int) (long) index);
    }

    /**
     * Records the start of a step in the claim that leases the job, from now on, when {@code store}
     * is a {@link RedisJobStore} of this queue's {@link RedisBackend}: a step then costs one script
     * (the finish, which also claims and starts the worker's next job) instead of two. A claim
     * starts a first delivery whose stored job is the message's state byte for byte and QUEUED, of
     * a workflow and step in {@code plan}, whose JSON is at most 16 KiB; it keeps the stored JSON
     * and marks the job RUNNING at that step (every reader of the store applies the mark, every
     * later write replaces it). Other messages come without a started state, and the worker starts
     * them as before. The plan is kept in Redis under a key named by its content. How the claim
     * finds the job's key, which it can't declare: the module README, "Start on take".
     *
     * <p>A claimed job held for a take that does not come (the worker stops) is given back with its
     * stored state RUNNING, as after a worker that crashed: the next delivery starts it again.
     */
    @Override
    public boolean startOnTake(JobStore store, StepPlan plan) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(plan, "plan");
        if (!(store instanceof RedisJobStore redisStore) || redisStore.backend() != backend) {
            return false;
        }
        starter = new RedisStartOnTake(this, plan);
        return true;
    }

    /** {@return what a claim needs to start steps, or null when this queue starts none} */
    @Nullable RedisStartOnTake starter() {
        return starter;
    }

    /**
     * Checks that the pool can serve {@code concurrentTakers} blocked takes at once plus {@value
     * #CAPACITY_HEADROOM} connections for puts, acks and store writes.
     *
     * @throws IllegalStateException naming {@link RedisOptions#poolSize()} if it is too small
     */
    @Override
    public void checkCapacity(int concurrentTakers) {
        int needed = concurrentTakers + CAPACITY_HEADROOM;
        int poolSize = backend.options().poolSize();
        if (needed > poolSize) {
            throw new IllegalStateException("Redis connection pool too small: RedisOptions.poolSize is " + poolSize
                    + ", but " + concurrentTakers + " threads will block in take() at once (each holds a connection"
                    + " while it waits) and puts, acks and store writes need " + CAPACITY_HEADROOM
                    + " more; set RedisOptions.builder().poolSize(" + needed + ") or more");
        }
    }

    /**
     * Finishes steps atomically with a {@link RedisJobStore} made by the same {@link
     * RedisBackend}: one Lua script writes the state, puts the next step and acks; with {@link
     * RedisQueueOptions#pipelineFinishes()} the finishes of several threads share one round trip.
     *
     * @return the finisher, or empty when {@code store} is not such a store
     */
    @Override
    public Optional<AtomicStepFinish> atomicStepFinish(StateStore store) {
        if (store instanceof RedisJobStore redisStore && redisStore.backend() == backend) {
            return Optional.of(options.pipelineFinishes() ? new RedisFinishPipeline(this, redisStore)
                    : new RedisStepFinish(this, redisStore));
        }
        return Optional.empty();
    }

    /**
     * Submits atomically with a {@link RedisJobStore} made by the same {@link RedisBackend}: one
     * Lua script writes each job's first state and puts it ({@link RedisSubmit}).
     *
     * @return the submitter, or empty when {@code store} is not such a store
     */
    @Override
    public Optional<AtomicSubmit> atomicSubmit(StateStore store) {
        if (store instanceof RedisJobStore redisStore && redisStore.backend() == backend) {
            return Optional.of(new RedisSubmit(this, redisStore));
        }
        return Optional.empty();
    }

    /**
     * @param limit the most records to return
     * @return the oldest {@code limit} dead letters, oldest first
     * @throws ErgateBackendException if Redis fails
     */
    public List<DeadLetter> deadLetters(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        byte[] key = keys.dead().getBytes(StandardCharsets.UTF_8);
        List<byte[]> raw = failures.call("read dead letters", () -> client().lrange(key, 0, limit - 1L));
        List<DeadLetter> letters = new ArrayList<>(raw.size());
        for (byte[] entry : raw) {
            letters.add(DeadLetterRecords.read(entry, options.name()));
        }
        return letters;
    }

    /**
     * Counts the messages by where they are, exactly but one after another (a near snapshot
     * under load). A delayed message that is due counts as delayed until a take moves it; a
     * leased one counts as in flight until it is acked, released or taken again.
     *
     * @throws ErgateBackendException if Redis fails
     */
    @Override
    public QueueCounts counts() {
        return failures.call("read queue sizes", () -> {
            UnifiedJedis redis = client();
            long ready = redis.llen(keys.ready()) + redis.zcard(keys.ranked());
            return new QueueCounts(ready, redis.zcard(keys.delayed()),
                    redis.zcard(keys.leased()), redis.llen(keys.dead()), false);
        });
    }

    /**
     * Stops this queue: later puts and takes fail, and jobs an atomic finish claimed for a take
     * that will not come now are released (ready again at once). The backend's connections stay
     * open. Idempotent.
     */
    @Override
    public void close() {
        closed.set(true);
        releaseClaimedOnFinish();
    }

    @Override
    public String toString() {
        return "RedisJobQueue[" + keys.hashTag() + " queue '" + options.name() + "' on "
                + backend.options().parsedUri() + "]";
    }

    // ---------------------------------------------------------------- used by deliveries and the finisher

    RedisKeys keys() {
        return keys;
    }

    RedisBackend backend() {
        return backend;
    }

    RedisFailures failures() {
        return failures;
    }

    Clock clock() {
        return clock;
    }

    UnifiedJedis client() {
        return backend.client();
    }

    String name() {
        return options.name();
    }

    /**
     * Keeps a message an atomic finish claimed (its reply in the form of {@code claim.lua}'s) for
     * the next {@link #take}; released at once if the queue is closed meanwhile.
     */
    void handOver(Claimed claimed) {
        claimedOnFinish.add(claimed);
        if (closed.get()) {
            releaseClaimedOnFinish();
        }
    }

    /**
     * Releases the jobs step finishes claimed for a take that did not come (see {@link
     * RedisQueueOptions#claimOnFinish()}); the worker calls it when it stops.
     *
     * @throws ErgateBackendException never: a failed release is logged, and that job comes back
     *     when its lease runs out
     */
    @Override
    public void releaseHeld() {
        releaseClaimedOnFinish();
    }

    /** Releases (ready again at once) the messages finishes claimed that no take picked up. */
    void releaseClaimedOnFinish() {
        Claimed claimed;
        while ((claimed = claimedOnFinish.poll()) != null) {
            String messageId = text(claimed.reply().get(0));
            long deliveryCount = (Long) claimed.reply().get(2);
            try {
                unstart(claimed); // before the release: once ready again, another worker may start it
            } catch (RuntimeException e) {
                LOG.warn("Redis queue '{}': undoing the start of message {} (claimed by a step finish, not taken before"
                        + " the worker stopped) failed; it is given back all the same and reads RUNNING until its next"
                        + " step starts: {}", options.name(), messageId, e.toString());
            }
            try {
                // no step of it started here: the give-back does not count as a delivery
                failures.call("release message " + messageId + " claimed on finish", () -> Scripts.RELEASE.run(
                        client(), keys.queueKeys(), List.of(messageId, deliveryCount, 0, 1)));
            } catch (RuntimeException e) {
                LOG.warn("Redis queue '{}': releasing message {} (claimed by a step finish, not taken before the worker stopped)"
                        + " failed; it is delivered again when its lease runs out: {}", options.name(), messageId,
                        e.toString());
            }
        }
    }

    /**
     * Undoes the start a finish's claim recorded for a message the worker never took (unstart.lua),
     * so the job given back reads QUEUED, not RUNNING, while it waits.
     */
    private void unstart(Claimed claimed) {
        List<?> reply = claimed.reply();
        if (reply.size() < 6 || !(reply.get(4) instanceof Long index) || index < 0) {
            return; // the claim started nothing
        }
        byte[] body = (byte[]) reply.get(1);
        JobId id;
        try {
            id = codec.decode(body).id();
        } catch (RuntimeException notAJob) {
            return; // a claim starts only jobs it could read
        }
        if (id == null) {
            return;
        }
        String member = RedisKeys.member(id);
        String marker = index + " " + text(reply.get(5));
        failures.call("undo the start of job " + id + " claimed on finish", () -> Scripts.UNSTART.run(client(),
                List.of(keys.job(member), keys.statusIndex(JobStatus.QUEUED.name()),
                        keys.statusIndex(JobStatus.RUNNING.name())),
                List.of(member, body, marker)));
    }

    byte[] encode(Job job) {
        return checkSize(job, codec.encode(job));
    }

    /**
     * @return {@code body}, the encoded {@code job}
     * @throws JobTooLargeException if it is over {@link RedisQueueOptions#maxJobBytes()}
     */
    byte[] checkSize(Job job, byte[] body) {
        return JobSizes.check(job, body, options.maxJobBytes());
    }

    /** {@return the due time to store: the job's {@code requested_start_time}, 0 for none} */
    static long dueMillis(Job job) {
        Instant start = job.requestedStartTime();
        if (start == null) {
            return 0;
        }
        try {
            return start.toEpochMilli();
        } catch (ArithmeticException farAway) {
            return start.isBefore(Instant.EPOCH) ? 0 : Long.MAX_VALUE / 2;
        }
    }

    /** Dead-letters a message this queue leased; false when the lease was lost meanwhile. */
    boolean deadLetter(String messageId, int deliveryCount, byte[] body, String reason, @Nullable JobId jobId) {
        byte[] record = DeadLetterRecords.write(messageId, body, reason, clock.instant(), deliveryCount,
                jobId == null ? null : jobId.value());
        Object done = failures.call("dead-letter message " + messageId, () -> Scripts.DEAD_LETTER.run(
                client(), keys.queueKeys(), List.of(messageId, deliveryCount, record, options.maxDeadLetters())));
        return Long.valueOf(1).equals(done);
    }

    void ensureOpen(String operation) {
        if (closed.get() || backend.isClosed()) {
            throw new ErgateBackendException(this + ": " + operation + " after close()", null, false);
        }
    }

    private static String text(Object reply) {
        return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
    }
}
