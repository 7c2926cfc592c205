package dev.ergate.testkit;

import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.JobFormatException;
import dev.ergate.JobId;
import dev.ergate.internal.Deadlines;
import dev.ergate.internal.JobSizes;
import dev.ergate.internal.UndecodableMessages;
import dev.ergate.spi.AbstractDelivery;
import dev.ergate.spi.DeadLetter;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.ErgateBackendException;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobTooLargeException;
import dev.ergate.spi.QueueCounts;
import dev.ergate.spi.QueueStats;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link JobQueue} in memory that behaves like the real backends: jobs travel as JSON (or as
 * {@link Job} copies with {@link Builder#jsonRoundTrip(boolean) jsonRoundTrip(false)}), delays and
 * leases follow the injected {@link Clock} (a {@link ManualClock} in tests), undecodable messages
 * go to the {@linkplain #deadLetters() dead letters}, takers never busy-poll. Thread-safe; more in
 * the testkit README.
 */
public final class InMemoryJobQueue implements JobQueue, QueueStats {

    private static final Logger LOG = LoggerFactory.getLogger(InMemoryJobQueue.class);
    /** The {@link DeadLetter#sourceQueue()} of this queue's dead letters: it has no name. */
    static final String SOURCE_QUEUE = "in-memory";

    private final Clock clock;
    private final Duration leaseTime;
    private final OptionalLong maxJobBytes;
    private final JobCodec codec;
    private final boolean jsonRoundTrip;
    private final @Nullable Duration priorityAging;
    private final @Nullable Runnable clockSubscription;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Every message not yet acked, by id. */
    private final Map<Long, Message> messages = new HashMap<>();
    /** The same messages, by the time they become visible (ready or delayed: now or earlier; leased: lease end). */
    private final VisibilityOrder byVisibleAt;
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private long lastMessageId;
    private long lastLeaseId;
    private boolean closed;

    private InMemoryJobQueue(Builder builder) {
        this.clock = builder.clock;
        this.leaseTime = builder.leaseTime;
        this.maxJobBytes = builder.maxJobBytes;
        this.codec = builder.codec;
        this.jsonRoundTrip = builder.jsonRoundTrip;
        this.priorityAging = builder.priorityAging;
        this.byVisibleAt = new VisibilityOrder(takeOrder(builder.priorityAging));
        this.clockSubscription = clock instanceof ManualClock manual ? manual.onChange(this::wakeTakers) : null;
    }

    /** {@return a queue on the system clock (UTC) with a 30 second lease and no size limit} */
    public static InMemoryJobQueue create() {
        return builder().build();
    }

    /** {@return a builder, starting from {@link #create()}'s settings} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The order in which visible messages are taken: higher {@link Job#priority()} first, then
     * the one visible longest. With an aging of {@code a} per priority level, a job instead
     * counts as visible {@code priority * a} earlier than it is: a higher one still goes first,
     * but a lower one waits at most {@code a} per level of difference behind later higher ones.
     */
    private static Comparator<Message> takeOrder(@Nullable Duration aging) {
        if (aging == null) {
            return Comparator.comparingInt((Message m) -> -m.priority)
                    .thenComparing((Message m) -> m.visibleAt)
                    .thenComparingLong(m -> m.id);
        }
        long agingMillis = aging.toMillis();
        return Comparator.comparing((Message m) -> m.visibleAt.minusMillis(m.priority * agingMillis))
                .thenComparingLong(m -> m.id);
    }

    /** {@return how much earlier, per priority level, a job counts as visible; empty for strict priorities} */
    public Optional<Duration> priorityAging() {
        return Optional.ofNullable(priorityAging);
    }

    /** {@return how long a taken job stays leased unless extended} */
    @Override
    public Duration leaseTime() {
        return leaseTime;
    }

    /** {@return the largest encoded job {@link #put} accepts, or empty for no limit} */
    public OptionalLong maxJobBytes() {
        return maxJobBytes;
    }

    /**
     * @throws JobTooLargeException if the encoded job is over {@link #maxJobBytes()}
     * @throws ErgateBackendException if the queue is closed
     */
    @Override
    public void put(Job job) {
        Objects.requireNonNull(job, "job");
        byte[] body = null;
        if (jsonRoundTrip) {
            body = codec.encode(job);
            if (maxJobBytes.isPresent()) {
                JobSizes.check(job, body, maxJobBytes.getAsLong());
            }
        }
        Instant notBefore = job.requestedStartTime();
        lock.lock();
        try {
            ensureOpen("put");
            Instant now = clock.instant();
            Instant visibleAt = notBefore != null && notBefore.isAfter(now) ? notBefore : now;
            add(new Message(++lastMessageId, body, jsonRoundTrip ? null : job, job.priority(), visibleAt),
                    visibleAt.isAfter(now));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds raw bytes as a message, as a broken or foreign producer would: they are decoded only
     * when taken, and moved to the dead letters then if they are not a job. For tests of what a
     * worker does with bad messages.
     *
     * @param message the message's bytes, normally a job's JSON in UTF-8
     * @throws ErgateBackendException if the queue is closed
     */
    public void putRaw(byte[] message) {
        Objects.requireNonNull(message, "message");
        byte[] body = message.clone();
        Instant notBefore = rawStartTime(body);
        lock.lock();
        try {
            ensureOpen("putRaw");
            Instant now = clock.instant();
            Instant visibleAt = notBefore != null && notBefore.isAfter(now) ? notBefore : now;
            add(new Message(++lastMessageId, body, null, 0, visibleAt), visibleAt.isAfter(now));
        } finally {
            lock.unlock();
        }
    }

    /** {@return the requested start time of a raw message that is a job, else null (it is dead-lettered when taken)} */
    private @Nullable Instant rawStartTime(byte[] body) {
        try {
            return codec.decode(body).requestedStartTime();
        } catch (RuntimeException notAJob) {
            return null;
        }
    }

    /** Adds a message; wakes one taker when it is visible now (that taker passes the wake-up on), all when it is delayed. */
    private void add(Message message, boolean delayed) {
        messages.put(message.id, message);
        if (delayed) {
            byVisibleAt.add(message);
            changed.signalAll(); // every taker re-computes how long to sleep
        } else {
            byVisibleAt.addVisibleNow(message);
            changed.signal();
        }
    }

    /**
     * Takes the first job that is visible now (ready or delayed-and-due, or whose lease ran out),
     * highest {@linkplain Job#priority() priority} first, then oldest visibility first (see
     * {@link Builder#priorityAging}), and leases it for {@link #leaseTime()}. Messages that can't be
     * decoded are moved to the dead letters on the way.
     *
     * @param maxWait the longest time to block, in real time
     * @throws ErgateBackendException if the queue is closed
     */
    @Override
    public Optional<Delivery> take(Duration maxWait) throws InterruptedException {
        long deadline = Deadlines.takeDeadline(maxWait);
        while (true) {
            Leased leased = leaseNextVisible(deadline);
            if (leased == null) {
                return Optional.empty();
            }
            Job job = open(leased);
            if (job != null) {
                return Optional.of(new InMemoryDelivery(leased.message.id, leased.leaseId, job, leased.deliveries,
                        leased.expiresAt));
            }
            // not a job: it went to the dead letters; look for the next message
        }
    }

    /** A message leased under the lock, with its lease as it was then (a ManualClock may end it at once). */
    private record Leased(Message message, long leaseId, int deliveries, Instant expiresAt) {
    }

    /**
     * Waits, until {@code deadline} at most, for a visible message and leases it.
     *
     * @return the lease, or null when none became visible in time
     */
    private @Nullable Leased leaseNextVisible(long deadline) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (true) {
                ensureOpen("take");
                Instant now = clock.instant();
                Message message = byVisibleAt.pollVisible(now);
                if (message != null) {
                    message.deliveries++;
                    message.leaseId = ++lastLeaseId;
                    message.visibleAt = now.plus(leaseTime);
                    byVisibleAt.add(message);
                    if (byVisibleAt.hasVisible(now)) {
                        changed.signal(); // more to take: wake the next taker
                    }
                    return new Leased(message, message.leaseId, message.deliveries, message.visibleAt);
                }
                long remaining = Deadlines.remainingNanos(deadline);
                if (remaining <= 0) {
                    return null;
                }
                long wait = remaining;
                Instant next = byVisibleAt.earliest();
                if (next != null) {
                    long untilVisible = Deadlines.saturatedNanos(Duration.between(now, next));
                    wait = Math.min(wait, Math.max(untilVisible, TimeUnit.MILLISECONDS.toNanos(1)));
                }
                changed.awaitNanos(wait);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Turns a leased message into the job to hand out, outside the lock: decodes it, or copies a
     * job object's trees. A message that is not a job goes to the dead letters.
     *
     * @return the job, or null when the message was not one
     */
    private @Nullable Job open(Leased leased) {
        Message message = leased.message;
        if (message.job != null) {
            return message.job.deepCopy();
        }
        return UndecodableMessages.decodeOrDeadLetter(codec, message.json(), reason -> {
            String text = message.text(codec);
            lock.lock();
            try {
                Message current = messages.get(message.id);
                if (current != null && current.leaseId == leased.leaseId) {
                    messages.remove(message.id);
                    byVisibleAt.remove(message);
                    deadLetters.add(new DeadLetter(Long.toString(message.id), SOURCE_QUEUE, text, reason,
                            clock.instant(), leased.deliveries, null));
                }
            } finally {
                lock.unlock();
            }
            LOG.warn("in-memory queue: message {} is {}; moved to the dead letters: {}", message.id, reason,
                    UndecodableMessages.preview(text));
        });
    }

    /**
     * Wakes blocked takers so they look at the clock again. Called automatically when a {@link
     * ManualClock} given to the builder moves; call it after moving any other fake clock.
     */
    public void wakeTakers() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** {@return how many messages are on the queue: ready, delayed and leased (not the dead letters)} */
    public int size() {
        lock.lock();
        try {
            return messages.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@return the jobs on the queue (ready, delayed and leased), in the order they become visible;
     * messages that are not jobs are left out}
     */
    public List<Job> jobs() {
        List<Message> inOrder;
        lock.lock();
        try {
            inOrder = byVisibleAt.inOrder();
        } finally {
            lock.unlock();
        }
        List<Job> jobs = new ArrayList<>(inOrder.size());
        for (Message message : inOrder) {
            if (message.job != null) {
                jobs.add(message.job);
                continue;
            }
            try {
                jobs.add(codec.decode(message.json()));
            } catch (JobFormatException e) {
                // not a job: it will be dead-lettered when taken
            }
        }
        return jobs;
    }

    /**
     * Counts the messages by where they are, exactly: ready (visible now, not leased), delayed
     * (not visible before a start time or a release delay), in flight (leased, until acked,
     * released, or taken again after the lease ran out).
     */
    @Override
    public QueueCounts counts() {
        lock.lock();
        try {
            Instant now = clock.instant();
            long ready = 0;
            long delayed = 0;
            long inFlight = 0;
            for (Message message : messages.values()) {
                if (message.leaseId != 0) {
                    inFlight++;
                } else if (message.visibleAt.isAfter(now)) {
                    delayed++;
                } else {
                    ready++;
                }
            }
            return new QueueCounts(ready, delayed, inFlight, deadLetters.size(), false);
        } finally {
            lock.unlock();
        }
    }

    /** {@return the messages given up on so far, oldest first (a copy)} */
    public List<DeadLetter> deadLetters() {
        lock.lock();
        try {
            return List.copyOf(deadLetters);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes the dead letters that pass the test (compared as objects: the very records {@link
     * #deadLetters()} returned), for {@link InMemoryJobAdmin}.
     *
     * @return how many were removed
     */
    int removeDeadLetters(java.util.function.Predicate<DeadLetter> test) {
        lock.lock();
        try {
            int before = deadLetters.size();
            deadLetters.removeIf(test);
            return before - deadLetters.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the queue: later puts and takes fail, blocked takers wake up and fail. Idempotent.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (clockSubscription != null) {
            clockSubscription.run();
        }
    }

    private void ensureOpen(String operation) {
        if (closed) {
            throw new ErgateBackendException("in-memory queue: " + operation + " after close()", null, false);
        }
    }

    @Override
    public String toString() {
        return "InMemoryJobQueue[leaseTime=" + leaseTime + ", jsonRoundTrip=" + jsonRoundTrip + ", size=" + size() + "]";
    }

    /**
     * Every message not yet acked, kept so that the common step costs O(1): messages put to be
     * visible at once with priority 0 wait in a FIFO (put order is visibility order); delayed and
     * leased ones (few: one per taker, plus delayed retries) are in a set by visibility time, and
     * visible messages of another priority, or whose time came, in a set in take order. A take
     * hands out the first of the FIFO's head and the take-ordered set. Guarded by the queue's lock.
     */
    private static final class VisibilityOrder {
        private static final Comparator<Message> ORDER =
                Comparator.comparing((Message m) -> m.visibleAt).thenComparingLong(m -> m.id);

        private final Comparator<Message> takeOrder;
        /** Priority-0 messages visible since their put, oldest first. */
        private final ArrayDeque<Message> ready = new ArrayDeque<>();
        /** Delayed, released and leased messages, by when they become visible. */
        private final TreeSet<Message> timed = new TreeSet<>(ORDER);
        /** Visible messages that are not in {@link #ready}, in take order. */
        private final TreeSet<Message> visible;

        VisibilityOrder(Comparator<Message> takeOrder) {
            this.takeOrder = takeOrder;
            this.visible = new TreeSet<>(takeOrder);
        }

        /** Adds a message that is visible now; a priority-0 one goes behind the ready ones unless the clock went back. */
        void addVisibleNow(Message message) {
            Message last = ready.peekLast();
            if (message.priority != 0) {
                visible.add(message);
            } else if (last == null || ORDER.compare(last, message) <= 0) {
                ready.addLast(message);
            } else {
                timed.add(message);
            }
        }

        /** Adds a message that becomes visible at its {@code visibleAt} (delayed, released, leased). */
        void add(Message message) {
            timed.add(message);
        }

        /** Removes a message taken before (every taken message is timed, or visible again after its lease ran out). */
        void remove(Message message) {
            if (!timed.remove(message)) {
                visible.remove(message);
            }
        }

        /** {@return the first message in take order visible at {@code now}, removed; null if none is} */
        @Nullable Message pollVisible(Instant now) {
            promote(now);
            Message head = ready.peekFirst();
            boolean readyVisible = head != null && !head.visibleAt.isAfter(now);
            if (visible.isEmpty()) {
                return readyVisible ? ready.pollFirst() : null;
            }
            if (readyVisible && takeOrder.compare(head, visible.first()) < 0) {
                return ready.pollFirst();
            }
            return visible.pollFirst();
        }

        /** Moves the timed messages visible at {@code now} into the take-ordered set. */
        private void promote(Instant now) {
            while (!timed.isEmpty() && !timed.first().visibleAt.isAfter(now)) {
                visible.add(timed.pollFirst());
            }
        }

        boolean hasVisible(Instant now) {
            Message head = oldestHead();
            return head != null && !head.visibleAt.isAfter(now);
        }

        /** {@return when the next message becomes visible, or null when there is none} */
        @Nullable Instant earliest() {
            Message head = oldestHead();
            return head == null ? null : head.visibleAt;
        }

        private @Nullable Message oldestHead() {
            Message oldest = null;
            for (Message candidate : new Message[] {ready.peekFirst(), timed.isEmpty() ? null : timed.first(),
                    visible.isEmpty() ? null : visible.first()}) {
                if (candidate != null && (oldest == null || candidate.visibleAt.isBefore(oldest.visibleAt))) {
                    oldest = candidate;
                }
            }
            return oldest;
        }

        /** {@return every message, in visibility order (a copy)} */
        List<Message> inOrder() {
            List<Message> all = new ArrayList<>(ready.size() + timed.size() + visible.size());
            all.addAll(ready);
            all.addAll(timed);
            all.addAll(visible);
            all.sort(ORDER);
            return all;
        }
    }

    /**
     * One message: encoded JSON, or a job object without {@linkplain Builder#jsonRoundTrip JSON}.
     * Its contents never change; the rest is guarded by the queue's lock.
     */
    private static final class Message {
        final long id;
        final byte @Nullable [] body;
        final @Nullable Job job;
        /** The job's priority, read once at put (0 for raw messages). */
        final int priority;
        Instant visibleAt;
        int deliveries;
        /** The current lease, 0 when not leased. */
        long leaseId;

        /** {@return the JSON of a message that has no job object} */
        byte[] json() {
            return Objects.requireNonNull(body, "a message has a body or a job");
        }

        /** Exactly one of {@code body} and {@code job} is given. */
        Message(long id, byte @Nullable [] body, @Nullable Job job, int priority, Instant visibleAt) {
            this.id = id;
            this.body = body;
            this.job = job;
            this.priority = priority;
            this.visibleAt = visibleAt;
        }

        /** {@return the message as text, for a dead letter (a job object is encoded for it)} */
        String text(JobCodec codec) {
            if (body != null) {
                return new String(body, StandardCharsets.UTF_8);
            }
            try {
                return codec.encodeToString(Objects.requireNonNull(job, "a message has a body or a job"));
            } catch (RuntimeException e) {
                return job + " (can't be written as JSON: " + e.getMessage() + ")";
            }
        }
    }

    /** A lease on one message; its calls only act while the lease is the message's current one. */
    private final class InMemoryDelivery extends AbstractDelivery {
        private final long messageId;
        private final long leaseId;

        InMemoryDelivery(long messageId, long leaseId, Job job, int deliveryCount, Instant leaseExpiresAt) {
            super(job, deliveryCount, leaseExpiresAt);
            this.messageId = messageId;
            this.leaseId = leaseId;
        }

        @Override
        protected boolean ackLease() {
            lock.lock();
            try {
                Message message = current("ack");
                if (message != null) {
                    messages.remove(messageId);
                    byVisibleAt.remove(message);
                }
                return message != null;
            } finally {
                lock.unlock();
            }
        }

        @Override
        protected boolean releaseLease(Duration delay) {
            lock.lock();
            try {
                Message message = current("release");
                if (message != null) {
                    byVisibleAt.remove(message);
                    message.leaseId = 0;
                    message.visibleAt = clock.instant().plus(delay);
                    byVisibleAt.add(message);
                    changed.signalAll();
                }
                return message != null;
            } finally {
                lock.unlock();
            }
        }

        @Override
        protected @Nullable Instant extendLease(Duration duration) {
            lock.lock();
            try {
                Message message = current("extend");
                if (message == null) {
                    return null;
                }
                byVisibleAt.remove(message);
                message.visibleAt = clock.instant().plus(duration);
                byVisibleAt.add(message);
                return message.visibleAt;
            } finally {
                lock.unlock();
            }
        }

        @Override
        protected boolean deadLetterLease(String reason) {
            lock.lock();
            try {
                Message message = current("deadLetter");
                if (message != null) {
                    messages.remove(messageId);
                    byVisibleAt.remove(message);
                    JobId id = job().id();
                    deadLetters.add(new DeadLetter(Long.toString(messageId), SOURCE_QUEUE, message.text(codec), reason,
                            clock.instant(), deliveryCount(), id == null ? null : id.value()));
                    LOG.warn("in-memory queue: job {} dead-lettered: {}", id, reason);
                }
                return message != null;
            } finally {
                lock.unlock();
            }
        }

        /** {@return the message if this delivery still holds its lease, else null (logged)} */
        private @Nullable Message current(String operation) {
            Message message = messages.get(messageId);
            if (message == null || message.leaseId != leaseId) {
                LOG.debug("in-memory queue: {} of job {} changed nothing: its lease was lost", operation, job().id());
                return null;
            }
            return message;
        }

        @Override
        public String toString() {
            return "InMemoryDelivery[job=" + job().id() + ", deliveryCount=" + deliveryCount()
                    + ", leaseExpiresAt=" + leaseExpiresAt() + "]";
        }
    }

    /**
     * Configures an {@link InMemoryJobQueue}; {@link #build()} checks the settings. Not
     * thread-safe.
     */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private Duration leaseTime = Duration.ofSeconds(30);
        private OptionalLong maxJobBytes = OptionalLong.empty();
        private JobCodec codec = JobCodec.standard();
        private boolean jsonRoundTrip = true;
        private @Nullable Duration priorityAging;

        private Builder() {
        }

        /**
         * Lets waiting jobs age, so a stream of higher-priority jobs can't starve a lower one: a
         * job counts as visible {@code priority * aging} earlier than it is. A job of priority 0
         * then waits at most {@code aging} per level of the highest priority put after it (plus
         * the work already ahead of it). Without it (the default) priorities are strict.
         *
         * @param aging how much earlier per priority level; positive, or null for strict priorities
         */
        public Builder priorityAging(@Nullable Duration aging) {
            if (aging != null && (aging.isZero() || aging.isNegative() || aging.toMillis() == 0)) {
                throw new IllegalArgumentException("priorityAging must be at least 1 ms, got " + aging);
            }
            this.priorityAging = aging;
            return this;
        }

        /**
         * @param jsonRoundTrip true (the default) to encode every put and decode every take as a
         *     real backend does, catching jobs that can't travel as JSON; false to hand {@link Job}
         *     objects through (each take gets {@link Job#deepCopy()} of the put job), for speed
         *     when that check is not wanted. Without JSON there is no message size, so it can't be
         *     combined with {@link #maxJobBytes(long)}
         */
        public Builder jsonRoundTrip(boolean jsonRoundTrip) {
            this.jsonRoundTrip = jsonRoundTrip;
            return this;
        }

        /** @param clock the clock for delays and leases; system UTC by default */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @param leaseTime how long a taken job stays leased; positive; 30 seconds by default */
        public Builder leaseTime(Duration leaseTime) {
            this.leaseTime = Objects.requireNonNull(leaseTime, "leaseTime");
            return this;
        }

        /**
         * @param maxJobBytes the largest encoded job {@code put} accepts, like a real
         *     backend's limit (SQS: 256 KiB); positive
         */
        public Builder maxJobBytes(long maxJobBytes) {
            this.maxJobBytes = OptionalLong.of(maxJobBytes);
            return this;
        }

        /** @param codec how jobs are written and read; {@link JobCodec#standard()} by default */
        public Builder codec(JobCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /**
         * @return the queue
         * @throws IllegalArgumentException naming the setting, if the lease time or size limit
         *     is not positive, or a size limit is set without the JSON round trip
         */
        public InMemoryJobQueue build() {
            if (!jsonRoundTrip && maxJobBytes.isPresent()) {
                throw new IllegalArgumentException("maxJobBytes needs jsonRoundTrip(true): without JSON a job has no"
                        + " message size to limit");
            }
            if (leaseTime.isZero() || leaseTime.isNegative()) {
                throw new IllegalArgumentException("leaseTime must be positive, got " + leaseTime);
            }
            if (maxJobBytes.isPresent() && maxJobBytes.getAsLong() <= 0) {
                throw new IllegalArgumentException(
                        "maxJobBytes must be positive, got " + maxJobBytes.getAsLong());
            }
            return new InMemoryJobQueue(this);
        }
    }
}
