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
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
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
 *
 * <p>The common step (put a job visible at once with priority 0, take it, ack it) takes no lock:
 * such jobs wait in a lock-free FIFO and their leases in stripes by taking thread, so worker
 * threads don't queue behind each other (or behind one that was preempted holding a lock). Everything
 * else (delays, other priorities, releases, extensions, ended leases, dead letters, waiting for
 * work) goes through one lock, in the same take order.
 */
public final class InMemoryJobQueue implements JobQueue, QueueStats {

    private static final Logger LOG = LoggerFactory.getLogger(InMemoryJobQueue.class);
    /** The {@link DeadLetter#sourceQueue()} of this queue's dead letters: it has no name. */
    static final String SOURCE_QUEUE = "in-memory";
    /** Visibility order: by when a message becomes visible, then put order. */
    private static final Comparator<Message> ORDER =
            ((Comparator<Message>) Message::compareVisibility).thenComparingLong(m -> m.id);

    private final Clock clock;
    private final Duration leaseTime;
    private final long leaseNanos;
    private final OptionalLong maxJobBytes;
    private final JobCodec codec;
    private final boolean jsonRoundTrip;
    private final @Nullable Duration priorityAging;
    private final @Nullable Runnable clockSubscription;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /**
     * Priority-0 messages visible since their put, in put order (which is visibility order): the
     * common step puts and takes here without the lock.
     */
    private final ReadyFifo ready = new ReadyFifo();
    /**
     * Messages leased by a take for {@link #leaseTime()} and not extended since, in {@value
     * #STRIPES} stripes by the taking thread: a take adds to its thread's stripe, an ack removes
     * from the message's, neither takes the queue's lock. Instead of being kept sorted, they are
     * swept for ended leases when the clock reaches {@link #leaseBound}, about once per lease time.
     */
    private final LeaseStripe[] leased = new LeaseStripe[STRIPES];
    /** Delayed, released and extended messages, by when they become visible. Guarded by the lock. */
    private final TreeSet<Message> timed = new TreeSet<>(ORDER);
    /** Visible messages that are not in {@link #ready} (other priorities, due timed ones, ended leases), in take order. Guarded by the lock. */
    private final TreeSet<Message> visible;
    private final Comparator<Message> takeOrder;
    /**
     * No lease in {@link #leased} ends before this (epoch nanoseconds). It stays true without the
     * lock because a take that leases at or after {@link #lastSweepNanos} leases until at least a
     * lease time after it, and one that leases earlier lowers the bound under the lock. Guarded by
     * the lock.
     */
    private long leaseBound = Long.MIN_VALUE;
    /** The clock at the last sweep of {@link #leased} (epoch nanoseconds); written under the lock, before the sweep reads the set. */
    private volatile long lastSweepNanos = Long.MIN_VALUE;
    /**
     * A take whose clock reads before this (epoch nanoseconds) may serve itself from {@link
     * #ready} without the lock: nothing in {@link #timed} or {@link #visible} is visible and no
     * lease in {@link #leased} has ended by then. Written under the lock.
     */
    private volatile long gateNanos = Long.MIN_VALUE;
    /** Takers in the locked path (waiting, or about to): a put without the lock signals only when there are some. */
    private final AtomicInteger lockedTakers = new AtomicInteger();
    /** Messages put and not yet acked or dead-lettered: added to by puts and taken from by acks of many threads, so striped. */
    private final LongAdder size = new LongAdder();
    private final AtomicLong lastMessageId = new AtomicLong();
    /** Guarded by the lock. */
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private volatile boolean closed;

    private InMemoryJobQueue(Builder builder) {
        this.clock = builder.clock;
        this.leaseTime = builder.leaseTime;
        this.leaseNanos = Deadlines.saturatedNanos(builder.leaseTime);
        this.maxJobBytes = builder.maxJobBytes;
        this.codec = builder.codec;
        this.jsonRoundTrip = builder.jsonRoundTrip;
        this.priorityAging = builder.priorityAging;
        this.takeOrder = takeOrder(builder.priorityAging);
        this.visible = new TreeSet<>(takeOrder);
        this.clockSubscription = clock instanceof ManualClock manual ? manual.onChange(this::wakeTakers) : null;
        for (int i = 0; i < STRIPES; i++) {
            leased[i] = new LeaseStripe(i);
        }
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
                    .thenComparing(Message::compareVisibility)
                    .thenComparingLong(m -> m.id);
        }
        long agingMillis = aging.toMillis();
        return Comparator.comparing((Message m) -> m.visibleAt().minusMillis(m.priority * agingMillis))
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
        add(body, jsonRoundTrip ? null : job, job.priority(), job.requestedStartTime(), "put");
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
        add(body, null, 0, rawStartTime(body), "putRaw");
    }

    /** {@return the requested start time of a raw message that is a job, else null (it is dead-lettered when taken)} */
    private @Nullable Instant rawStartTime(byte[] body) {
        try {
            return codec.decode(body).requestedStartTime();
        } catch (RuntimeException notAJob) {
            return null;
        }
    }

    /**
     * Adds a message. One visible now with priority 0 goes to the lock-free FIFO and wakes one
     * locked taker, if any (that taker passes the wake-up on); the rest go in under the lock, a
     * delayed one waking every taker (each re-computes how long to sleep).
     */
    private void add(byte @Nullable [] body, @Nullable Job job, int priority, @Nullable Instant notBefore,
            String operation) {
        ensureOpen(operation);
        Instant now = clock.instant();
        boolean delayed = notBefore != null && notBefore.isAfter(now);
        Instant visibleAt = notBefore != null && delayed ? notBefore : now;
        Message message = new Message(lastMessageId.incrementAndGet(), body, job, priority, visibleAt);
        if (!delayed && priority == 0) {
            // put order is visibility order as long as the clock does not go back (a ManualClock
            // can't); a head that is not visible yet after it did moves to the timed ones when taken
            size.increment();
            ready.add(message);
            if (lockedTakers.get() > 0) {
                signalOne();
            }
            return;
        }
        lock.lock();
        try {
            ensureOpen(operation);
            size.increment();
            if (delayed) {
                timed.add(message);
                changed.signalAll();
            } else {
                visible.add(message); // another priority
                changed.signal();
            }
            updateGate();
        } finally {
            lock.unlock();
        }
    }

    private void signalOne() {
        lock.lock();
        try {
            changed.signal();
        } finally {
            lock.unlock();
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
            Leased leased = leaseWithoutLock();
            if (leased == null) {
                leased = leaseNextVisible(deadline);
            }
            if (leased == null) {
                return Optional.empty();
            }
            Job job = open(leased);
            if (job != null) {
                return Optional.of(new InMemoryDelivery(leased.message, leased.leaseId, job, leased.deliveries,
                        leased.expiresAt));
            }
            // not a job: it went to the dead letters; look for the next message
        }
    }

    /** A message leased, with its lease as it was then (a ManualClock may end it at once). */
    private record Leased(Message message, long leaseId, int deliveries, Instant expiresAt) {
    }

    /**
     * The common take: the head of {@link #ready}, when the gate says nothing else can come
     * before it.
     *
     * @return the lease, or null to take the locked path
     */
    private @Nullable Leased leaseWithoutLock() {
        ensureOpen("take");
        Instant now = clock.instant();
        long nowNanos = epochNanos(now);
        if (nowNanos >= gateNanos) {
            return null;
        }
        Message message = ready.poll();
        if (message == null) {
            return null;
        }
        if (message.visibleAfter(now, nowNanos)) {
            // the clock went back since its put: it waits with the timed ones
            lock.lock();
            try {
                timed.add(message);
                updateGate();
            } finally {
                lock.unlock();
            }
            return null;
        }
        Leased leased = lease(message, now);
        if (nowNanos < lastSweepNanos) {
            // leased before the last sweep's clock (it went back): the bound may not cover it
            lock.lock();
            try {
                lowerLeaseBound(message);
            } finally {
                lock.unlock();
            }
        }
        if (lockedTakers.get() > 0 && !ready.isEmpty()) {
            signalOne(); // more to take: wake a waiting taker
        }
        return leased;
    }

    /**
     * Leases a message this thread holds (polled from {@link #ready}, or taken under the lock) into
     * this thread's stripe of {@link #leased}. The lease id is the delivery count, doubled (ids are
     * even, {@link #SLOW} is the low bit): unique among the message's leases, and no counter shared
     * by the takers.
     */
    private Leased lease(Message message, Instant now) {
        int deliveries = ++message.deliveries;
        long leaseId = (long) deliveries << 1;
        Instant expiresAt = now.plus(leaseTime);
        message.visibleAt(expiresAt);
        message.lease = leaseId;
        leased[(int) Thread.currentThread().getId() & (STRIPES - 1)].add(message);
        return new Leased(message, leaseId, deliveries, expiresAt);
    }

    /**
     * The locked take: sweeps ended leases, moves due timed messages to the visible ones, takes
     * the first in take order, or waits, until {@code deadline} at most.
     *
     * @return the lease, or null when none became visible in time
     */
    private @Nullable Leased leaseNextVisible(long deadline) throws InterruptedException {
        lockedTakers.incrementAndGet(); // before looking at ready: a put after that look signals
        lock.lockInterruptibly();
        try {
            while (true) {
                ensureOpen("take");
                Instant now = clock.instant();
                long nowNanos = epochNanos(now);
                Message message = pollVisible(now, nowNanos);
                if (message != null) {
                    Leased leased = lease(message, now);
                    lowerLeaseBound(message);
                    updateGate();
                    if (hasVisible(now)) {
                        changed.signal(); // more to take: wake the next taker
                    }
                    return leased;
                }
                updateGate();
                long remaining = Deadlines.remainingNanos(deadline);
                if (remaining <= 0) {
                    return null;
                }
                long wait = remaining;
                long next = earliestNanos();
                if (next != Long.MAX_VALUE) {
                    long untilVisible = next - nowNanos;
                    wait = Math.min(wait, Math.max(untilVisible, TimeUnit.MILLISECONDS.toNanos(1)));
                }
                changed.awaitNanos(wait);
            }
        } finally {
            lock.unlock();
            lockedTakers.decrementAndGet();
        }
    }

    /** Under the lock: the first message in take order visible at {@code now}, removed from where it waited; null if none. */
    private @Nullable Message pollVisible(Instant now, long nowNanos) {
        if (nowNanos >= leaseBound) {
            sweepLeases(now, nowNanos);
        }
        while (!timed.isEmpty() && !timed.first().visibleAfter(now, nowNanos)) {
            visible.add(timed.pollFirst());
        }
        while (true) {
            Message head = ready.peek();
            if (head != null && head.visibleAfter(now, nowNanos)) {
                // put before the clock went back: it waits with the timed ones, not in front of the FIFO
                if (ready.removeFirst(head)) {
                    timed.add(head);
                }
                continue;
            }
            if (head != null && (visible.isEmpty() || takeOrder.compare(head, visible.first()) < 0)) {
                if (ready.removeFirst(head)) {
                    return head;
                }
                continue; // a take without the lock got it first
            }
            return visible.pollFirst();
        }
    }

    /**
     * Under the lock: moves the leases in {@link #leased} that have ended to the visible messages
     * (they keep their lease id until taken again, as a late ack still counts) and bounds the
     * rest. The clock is published first, so a lease that the sweep misses was taken after it.
     */
    private void sweepLeases(Instant now, long nowNanos) {
        lastSweepNanos = nowNanos;
        long bound = saturatedAdd(nowNanos, leaseNanos);
        for (LeaseStripe stripe : leased) {
            bound = Math.min(bound, stripe.sweep(now, nowNanos, visible));
        }
        leaseBound = bound;
    }

    /** Under the lock: keeps {@link #leaseBound} at or below the lease of a message in {@link #leased}. */
    private void lowerLeaseBound(Message message) {
        leaseBound = Math.min(leaseBound, message.visibleNanos);
        updateGate();
    }

    /** Under the lock: re-computes {@link #gateNanos} after a change to the locked structures or the lease bound. */
    private void updateGate() {
        long gate = leaseBound;
        if (!visible.isEmpty()) {
            gate = Long.MIN_VALUE;
        } else if (!timed.isEmpty()) {
            gate = Math.min(gate, timed.first().visibleNanos);
        }
        gateNanos = gate;
    }

    /** Under the lock: whether a message is visible at {@code now} (a lease that ended counts once swept). */
    private boolean hasVisible(Instant now) {
        Message head = ready.peek();
        long nowNanos = epochNanos(now);
        return (head != null && !head.visibleAfter(now, nowNanos)) || !visible.isEmpty()
                || (!timed.isEmpty() && !timed.first().visibleAfter(now, nowNanos));
    }

    /** Under the lock: when the next message may become visible (epoch nanoseconds), or Long.MAX_VALUE for never. */
    private long earliestNanos() {
        long earliest = noLeases() ? Long.MAX_VALUE : leaseBound;
        Message head = ready.peek();
        if (head != null) {
            earliest = Math.min(earliest, head.visibleNanos);
        }
        if (!timed.isEmpty()) {
            earliest = Math.min(earliest, timed.first().visibleNanos);
        }
        if (!visible.isEmpty()) {
            earliest = Long.MIN_VALUE;
        }
        return earliest;
    }

    /** {@return whether no lease waits in {@link #leased}} */
    private boolean noLeases() {
        for (LeaseStripe stripe : leased) {
            if (!stripe.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Removes a message from its stripe of {@link #leased}: only by whoever moved its lease off the plain lease id. */
    private void unlinkFromStripe(Message message) {
        leased[message.leaseSlot & (STRIPES - 1)].remove(message);
    }

    /**
     * Turns a leased message into the job to hand out: decodes it, or copies a job object's
     * trees. A message that is not a job goes to the dead letters.
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
                if (endLease(message, leased.leaseId)) {
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
     * Removes a message for good if {@code leaseId} is still its lease: without the lock when the
     * lease is in {@link #leased}, else it must be called under the lock.
     *
     * @return false when the lease was lost (taken again after it ended) or the message is gone
     */
    private boolean endLease(Message message, long leaseId) {
        if (LEASE.compareAndSet(message, leaseId, GONE)) {
            unlinkFromStripe(message);
            size.decrement();
            return true;
        }
        if (!lock.isHeldByCurrentThread()) {
            lock.lock();
            try {
                return endLease(message, leaseId);
            } finally {
                lock.unlock();
            }
        }
        if (message.lease != (leaseId | SLOW)) {
            return false;
        }
        message.lease = GONE;
        removeLocked(message);
        size.decrement();
        updateGate();
        return true;
    }

    /**
     * Under the lock: takes a message this lease still holds out of where it waits, to be put
     * back with a new visibility time.
     *
     * @return false when the lease was lost or the message is gone
     */
    private boolean unlinkLease(Message message, long leaseId) {
        if (LEASE.compareAndSet(message, leaseId, leaseId | SLOW)) {
            unlinkFromStripe(message); // it now waits in the locked structures
            return true;
        }
        if (message.lease != (leaseId | SLOW)) {
            return false;
        }
        removeLocked(message);
        return true;
    }

    /** Under the lock: removes a message from the locked structures (before its visibility time changes). */
    private void removeLocked(Message message) {
        if (!timed.remove(message)) {
            visible.remove(message);
        }
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
        return (int) size.sum();
    }

    /** {@return every message not yet acked, in visibility order (a snapshot)} */
    private List<Message> inOrder() {
        List<Message> all = new ArrayList<>();
        lock.lock();
        try {
            ready.copyTo(all);
            all.addAll(timed);
            all.addAll(visible);
        } finally {
            lock.unlock();
        }
        List<Message> inStripes = new ArrayList<>();
        for (LeaseStripe stripe : leased) {
            stripe.copyTo(inStripes);
        }
        for (Message message : inStripes) {
            if (message.lease > 0) {
                all.add(message);
            }
        }
        all.sort(ORDER);
        return all;
    }

    /**
     * {@return the jobs on the queue (ready, delayed and leased), in the order they become visible;
     * messages that are not jobs are left out}
     */
    public List<Job> jobs() {
        List<Message> inOrder = inOrder();
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
     * released, or taken again after the lease ran out). While other threads take and ack, a
     * snapshot.
     */
    @Override
    public QueueCounts counts() {
        Instant now = clock.instant();
        long nowNanos = epochNanos(now);
        long ready = 0;
        long delayed = 0;
        long inFlight = 0;
        for (Message message : inOrder()) {
            if (message.lease != 0) {
                inFlight++;
            } else if (message.visibleAfter(now, nowNanos)) {
                delayed++;
            } else {
                ready++;
            }
        }
        lock.lock();
        try {
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

    /** {@return the instant in nanoseconds since the epoch, saturated at the ends of a long} */
    private static long epochNanos(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds >= Long.MAX_VALUE / 1_000_000_000L) {
            return Long.MAX_VALUE;
        }
        if (seconds <= Long.MIN_VALUE / 1_000_000_000L) {
            return Long.MIN_VALUE;
        }
        return seconds * 1_000_000_000L + instant.getNano();
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
    }

    /** {@link Message#lease} of an acked or dead-lettered message. */
    private static final long GONE = -1;
    /** The low bit of a {@link Message#lease}: the lease waits in the locked structures, not in {@link #leased}. */
    private static final long SLOW = 1;
    private static final VarHandle LEASE;

    static {
        try {
            LEASE = MethodHandles.lookup().findVarHandle(Message.class, "lease", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * One message: encoded JSON, or a job object without {@linkplain Builder#jsonRoundTrip JSON}.
     * Its contents never change. Its visibility time and delivery count change only while one
     * thread holds it (just polled from the FIFO, or under the lock, out of every sorted set).
     */
    private static final class Message {
        final long id;
        final byte @Nullable [] body;
        final @Nullable Job job;
        /** The job's priority, read once at put (0 for raw messages). */
        final int priority;
        /**
         * Ready or delayed: when it becomes visible; leased: when the lease ends; in nanoseconds
         * since the epoch (a number in the message, not an {@code Instant} beside it: the backlog
         * of a pre-loaded run holds one per job, and a take reads it), saturated at the ends of a
         * long, where {@link #farVisibleAt} has the exact time.
         */
        volatile long visibleNanos;
        /** The next message in {@link #ready} (written by {@link ReadyFifo} only); itself once taken out of it. */
        volatile @Nullable Message next;
        /** The visibility time when it is out of {@link #visibleNanos}' range (before 1677 or after 2262), else null. */
        @Nullable Instant farVisibleAt;
        int deliveries;
        /**
         * While in a stripe of {@link #leased}: its slot there, shifted left by {@link
         * #STRIPE_BITS}, and the stripe's index in the low bits. Written under the stripe's monitor.
         */
        int leaseSlot;
        /**
         * 0 when not leased; the current lease id (even), plus {@link #SLOW} once the lease waits
         * in the locked structures; {@link #GONE} once acked or dead-lettered. Compared and set.
         */
        volatile long lease;

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
            visibleAt(visibleAt);
        }

        /** Sets the visibility time (by its holder: the thread that just polled it, or under the lock). */
        void visibleAt(Instant time) {
            long nanos = epochNanos(time);
            farVisibleAt = exact(nanos) ? null : time;
            visibleNanos = nanos;
        }

        /** {@return the visibility time} (an object made for the call, off the step path) */
        Instant visibleAt() {
            long nanos = visibleNanos; // first: its write publishes farVisibleAt's
            Instant far = farVisibleAt;
            return far != null ? far
                    : Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
        }

        /** {@return whether it becomes visible after {@code now}, given as an instant and its {@link #epochNanos}} */
        boolean visibleAfter(Instant now, long nowNanos) {
            long nanos = visibleNanos;
            if (farVisibleAt == null && exact(nowNanos)) {
                return nanos > nowNanos;
            }
            return visibleAt().isAfter(now);
        }

        /** Orders by visibility time. */
        static int compareVisibility(Message a, Message b) {
            if (a.farVisibleAt == null && b.farVisibleAt == null) {
                return Long.compare(a.visibleNanos, b.visibleNanos);
            }
            return a.visibleAt().compareTo(b.visibleAt());
        }

        /** {@return whether an {@link #epochNanos} result is the time itself, not saturated} */
        private static boolean exact(long nanos) {
            return nanos != Long.MIN_VALUE && nanos != Long.MAX_VALUE;
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

    /**
     * The FIFO of {@link #ready} messages: a lock-free linked queue (Michael and Scott's, as
     * {@code ConcurrentLinkedQueue} is) whose nodes are the messages themselves, linked by {@link
     * Message#next}, so a put allocates no node and the backlog of a pre-loaded run holds none.
     * The head is a message already taken (or a first placeholder); the messages after it wait,
     * and whoever moves the head onto one has taken it. A message goes in once, at its put; the
     * head it leaves behind is linked to itself so a taken message keeps no later one alive.
     */
    private static final class ReadyFifo {
        private static final VarHandle HEAD;
        private static final VarHandle TAIL;
        private static final VarHandle NEXT;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                HEAD = lookup.findVarHandle(ReadyFifo.class, "head", Message.class);
                TAIL = lookup.findVarHandle(ReadyFifo.class, "tail", Message.class);
                NEXT = lookup.findVarHandle(Message.class, "next", Message.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private volatile Message head;
        /** The last message or one before it (it lags, as in {@code ConcurrentLinkedQueue}). */
        private volatile Message tail;

        ReadyFifo() {
            Message placeholder = new Message(0, null, null, 0, Instant.EPOCH);
            head = placeholder;
            tail = placeholder;
        }

        void add(Message message) {
            Message t = tail;
            Message p = t;
            while (true) {
                Message q = p.next;
                if (q == null) {
                    if (NEXT.compareAndSet(p, null, message)) {
                        if (p != t) {
                            TAIL.weakCompareAndSet(this, t, message); // moving it every other add is enough
                        }
                        return;
                    }
                } else if (p == q) {
                    // p was taken and unlinked: go on from the tail if it moved, else from the head
                    Message newTail = tail;
                    p = t != newTail ? (t = newTail) : head;
                } else {
                    Message newTail = tail;
                    p = p != t && t != newTail ? (t = newTail) : q;
                }
            }
        }

        /** {@return the first waiting message, taken out; null when none waits} */
        @Nullable Message poll() {
            while (true) {
                Message h = head;
                Message first = h.next;
                if (first == null) {
                    return null;
                }
                if (first != h && HEAD.compareAndSet(this, h, first)) {
                    NEXT.setRelease(h, h);
                    return first;
                }
            }
        }

        /** {@return the first waiting message, left in; null when none waits} */
        @Nullable Message peek() {
            while (true) {
                Message h = head;
                Message first = h.next;
                if (first != h) {
                    return first;
                }
            }
        }

        boolean isEmpty() {
            return peek() == null;
        }

        /** {@return whether this call took {@code first} out: false if it was not (or no longer) the first} */
        boolean removeFirst(Message first) {
            Message h = head;
            if (h.next != first || !HEAD.compareAndSet(this, h, first)) {
                return false;
            }
            NEXT.setRelease(h, h);
            return true;
        }

        /** Adds the waiting messages to {@code out}, first first (a snapshot while others take). */
        void copyTo(List<Message> out) {
            Message p = peek();
            while (p != null) {
                out.add(p);
                Message q = p.next;
                p = q == p ? peek() : q; // p was taken meanwhile: on from the new head
            }
        }
    }

    /** The low bits of {@link Message#leaseSlot} that name the stripe. */
    private static final int STRIPE_BITS = 4;
    /** Stripes of {@link #leased}: enough that a few worker threads rarely share one. */
    private static final int STRIPES = 1 << STRIPE_BITS;

    /**
     * One stripe of {@link #leased}: an unordered array of messages, each knowing its slot, so an
     * add and a remove are a few writes under the stripe's monitor (uncontended while the threads
     * that take fall in stripes of their own) and allocate nothing. A message is removed by
     * whoever compares-and-sets its lease away from the plain lease id (its ack, a release or
     * extension, the sweep), so exactly once per add.
     */
    private static final class LeaseStripe {
        private static final int INITIAL = 4;
        private final int index;
        private Message[] messages = new Message[INITIAL];
        private int count;

        LeaseStripe(int index) {
            this.index = index;
        }

        synchronized void add(Message message) {
            if (count == messages.length) {
                messages = java.util.Arrays.copyOf(messages, count * 2);
            }
            message.leaseSlot = count << STRIPE_BITS | index;
            messages[count++] = message;
        }

        synchronized void remove(Message message) {
            int slot = message.leaseSlot >>> STRIPE_BITS;
            if (slot < count && messages[slot] == message) {
                removeAt(slot);
            }
        }

        /** Moves the last message into {@code slot}; shrinks an array left mostly empty by a burst of takes. */
        private void removeAt(int slot) {
            Message last = messages[--count];
            messages[slot] = last;
            last.leaseSlot = slot << STRIPE_BITS | index;
            messages[count] = null;
            if (messages.length > 64 && count < messages.length / 4) {
                messages = java.util.Arrays.copyOf(messages, messages.length / 2);
            }
        }

        synchronized boolean isEmpty() {
            return count == 0;
        }

        synchronized void copyTo(List<Message> out) {
            for (int i = 0; i < count; i++) {
                out.add(messages[i]);
            }
        }

        /**
         * Under the queue's lock: moves the messages whose lease ended by {@code now} to {@code
         * visible} (they keep their lease id, as a late ack still counts).
         *
         * @return the earliest lease end left here (epoch nanoseconds), Long.MAX_VALUE for none
         */
        synchronized long sweep(Instant now, long nowNanos, TreeSet<Message> visible) {
            long earliest = Long.MAX_VALUE;
            for (int i = count - 1; i >= 0; i--) { // backwards: a removal moves an already seen message into slot i
                Message message = messages[i];
                long lease = message.lease;
                if (lease <= 0 || (lease & SLOW) != 0) {
                    continue; // being acked, released or extended: its caller removes it
                }
                if (message.visibleAfter(now, nowNanos)) {
                    earliest = Math.min(earliest, message.visibleNanos);
                } else if (LEASE.compareAndSet(message, lease, lease | SLOW)) {
                    removeAt(i);
                    visible.add(message);
                }
            }
            return earliest;
        }
    }

    /** A lease on one message; its calls only act while the lease is the message's current one. */
    private final class InMemoryDelivery extends AbstractDelivery {
        private final Message message;
        private final long leaseId;

        InMemoryDelivery(Message message, long leaseId, Job job, int deliveryCount, Instant leaseExpiresAt) {
            super(job, deliveryCount, leaseExpiresAt);
            this.message = message;
            this.leaseId = leaseId;
        }

        /** Without the lock while the lease is in the lease set (the common step). */
        @Override
        protected boolean ackLease() {
            return held("ack", endLease(message, leaseId));
        }

        @Override
        protected boolean releaseLease(Duration delay) {
            lock.lock();
            try {
                if (!held("release", unlinkLease(message, leaseId))) {
                    return false;
                }
                message.lease = 0;
                message.visibleAt(clock.instant().plus(delay));
                timed.add(message);
                updateGate();
                changed.signalAll();
                return true;
            } finally {
                lock.unlock();
            }
        }

        @Override
        protected @Nullable Instant extendLease(Duration duration) {
            lock.lock();
            try {
                if (!held("extend", unlinkLease(message, leaseId))) {
                    return null;
                }
                // an extended lease waits in the sorted set: its length is the caller's, not the lease time
                Instant end = clock.instant().plus(duration);
                message.visibleAt(end);
                timed.add(message);
                updateGate();
                return end;
            } finally {
                lock.unlock();
            }
        }

        @Override
        protected boolean deadLetterLease(String reason) {
            lock.lock();
            try {
                if (!held("deadLetter", endLease(message, leaseId))) {
                    return false;
                }
                JobId id = job().id();
                deadLetters.add(new DeadLetter(Long.toString(message.id), SOURCE_QUEUE, message.text(codec), reason,
                        clock.instant(), deliveryCount(), id == null ? null : id.value()));
                LOG.warn("in-memory queue: job {} dead-lettered: {}", id, reason);
                return true;
            } finally {
                lock.unlock();
            }
        }

        /** {@return {@code held}, logging when this delivery had lost its lease} */
        private boolean held(String operation, boolean held) {
            if (!held) {
                LOG.debug("in-memory queue: {} of job {} changed nothing: its lease was lost", operation, job().id());
            }
            return held;
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
