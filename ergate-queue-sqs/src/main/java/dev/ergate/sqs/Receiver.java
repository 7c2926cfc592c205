package dev.ergate.sqs;

import dev.ergate.internal.DaemonThreads;
import dev.ergate.internal.Deadlines;
import dev.ergate.spi.ErgateBackendException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The take side of an {@link SqsJobQueue}: long polls sized to demand, and a small local buffer.
 *
 * <p>A taker that finds the buffer empty starts a receive, but only while the messages already
 * asked for fall short of the takers waiting, and with at most one receive in flight per
 * batch-size of waiting takers. A receive asks for as many messages as there are waiting takers
 * not yet covered (1 to the batch size): a lone worker receives one message at a time, takers
 * arriving while a receive is in flight share the next batch of up to 10, and long polls hold
 * one connection per ten takers.
 *
 * <p>Receives run on the queue's receive threads, and takers wait for the buffer: so a take
 * returns at its bound and answers interrupts at once even while an HTTP long poll is in
 * flight (the poll is bounded by the taker's remaining whole seconds). What a receive brings
 * in goes to the buffer for any taker; a message left there longer than the prefetch hold (its
 * taker gave up meanwhile) is made visible again by {@link #sweep()}, which the queue runs every
 * few hundred milliseconds: no message is held past its lease.
 *
 * <p>SQS long polls last whole seconds: a take long-polls for its remaining time rounded to whole
 * seconds (up when at most {@link #LONG_POLL_ROUNDING} short of one); with less than that left
 * it short-polls and then waits for the rest on the buffer, at most {@link #SHORT_POLL_PAUSE}
 * between polls.
 *
 * <p>Thread-safe.
 */
final class Receiver {

    static final Duration SHORT_POLL_PAUSE = Duration.ofMillis(100);
    /**
     * A long poll may outlast its taker's bound by this much, so that a take of "1 s" (the
     * worker's default poll) long-polls for a second instead of short-polling; what such a poll
     * brings in after its taker left waits in the buffer for the next take.
     */
    static final Duration LONG_POLL_ROUNDING = Duration.ofMillis(150);
    private static final long MAX_LEASE_START_SLACK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final Logger LOG = LoggerFactory.getLogger(Receiver.class);

    /** One receive call, started by a taker, finished on a receive thread. Guarded by the lock. */
    private static final class Receive {
        final int want;
        final boolean shortPoll;
        boolean done;
        @Nullable RuntimeException failure;

        Receive(int want, boolean shortPoll) {
            this.want = want;
            this.shortPoll = shortPoll;
        }
    }

    private final SqsOperations ops;
    private final InboundSorter sorter;
    private final SqsQueueOptions config;
    private final Clock clock;
    private final int leaseSeconds;
    private final long holdNanos;
    private final ExecutorService receiveThreads;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Inbound> ready = new ArrayDeque<>();
    private int waiting;
    private int requestedInFlight;
    private int receivesInFlight;
    private boolean closed;

    Receiver(SqsOperations ops, InboundSorter sorter, SqsQueueOptions config) {
        this.ops = ops;
        this.sorter = sorter;
        this.config = config;
        this.clock = config.clock();
        this.leaseSeconds = (int) config.leaseTime().getSeconds();
        this.holdNanos = config.maxPrefetchHold().toNanos();
        this.receiveThreads = Executors.newCachedThreadPool(DaemonThreads.factory("ergate-sqs-receive"));
    }

    /**
     * @return a due job's message, or null when none came within {@code maxWait} or the queue closed
     * @throws ErgateBackendException if this taker's receive failed and nothing else came in
     */
    @Nullable Inbound take(Duration maxWait) throws InterruptedException {
        long deadline = Deadlines.takeDeadline(maxWait);
        Receive mine = null;
        lock.lock();
        waiting++;
        try {
            while (!closed) {
                Inbound fresh = pollFresh();
                if (fresh != null) {
                    return fresh;
                }
                if (mine != null && mine.done && mine.failure != null) {
                    throw mine.failure;
                }
                long remaining = Deadlines.remainingNanos(deadline);
                boolean ownShortPollPending = mine != null && !mine.done && mine.shortPoll;
                if (remaining <= 0 && mine != null && !ownShortPollPending) {
                    return null;
                }
                if ((mine == null || mine.done) && requestedInFlight < waiting && receivesInFlight < receivesAllowed()) {
                    boolean previousWasEmptyShortPoll = mine != null && mine.shortPoll;
                    if (previousWasEmptyShortPoll && remaining > 0) {
                        // nothing came from the last short poll: pause before the next one
                        changed.awaitNanos(Math.min(remaining, SHORT_POLL_PAUSE.toNanos()));
                        mine = null;
                        continue;
                    }
                    mine = launch(remaining);
                    continue;
                }
                if (ownShortPollPending) {
                    changed.await();
                } else if (remaining > 0) {
                    changed.awaitNanos(remaining);
                } else {
                    return null;
                }
            }
            return null;
        } finally {
            waiting--;
            lock.unlock();
        }
    }

    /** Under the lock: one receive per batch of waiting takers, so ten takers share one connection. */
    private int receivesAllowed() {
        return (waiting + config.receiveBatchSize() - 1) / config.receiveBatchSize();
    }

    /** Under the lock: starts a receive for the takers not yet covered. */
    private Receive launch(long remainingNanos) {
        int want = Math.min(config.receiveBatchSize(), waiting - requestedInFlight);
        int waitSeconds = (int) Math.min(config.maxLongPoll().getSeconds(),
                (Math.max(0, remainingNanos) + LONG_POLL_ROUNDING.toNanos()) / 1_000_000_000L);
        Receive receive = new Receive(want, waitSeconds == 0);
        requestedInFlight += want;
        receivesInFlight++;
        try {
            receiveThreads.execute(() -> run(receive, waitSeconds));
        } catch (RejectedExecutionException e) {
            requestedInFlight -= want;
            receivesInFlight--;
            receive.done = true;
            receive.failure = new IllegalStateException("SQS job queue on " + ops.queueUrl() + " is closed", e);
        }
        return receive;
    }

    /** On a receive thread: calls SQS, sorts what came, and hands it to the buffer. */
    private void run(Receive receive, int waitSeconds) {
        List<Inbound> got = List.of();
        RuntimeException failure = null;
        try {
            Instant receivedAt = clock.instant();
            long sentNanos = System.nanoTime();
            List<Message> messages = ops.receive(receive.want, waitSeconds, leaseSeconds);
            long arrivedNanos = System.nanoTime();
            if (!messages.isEmpty()) {
                long slack = Math.min(arrivedNanos - sentNanos, MAX_LEASE_START_SLACK_NANOS);
                Instant leaseStart = clock.instant().minusNanos(slack);
                got = sorter.sort(messages, receivedAt, leaseStart, arrivedNanos);
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        boolean release;
        lock.lock();
        try {
            requestedInFlight -= receive.want;
            receivesInFlight--;
            receive.done = true;
            receive.failure = failure;
            release = closed;
            if (!release) {
                ready.addAll(got);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (release) {
            release(got);
        }
    }

    /** Under the lock: removes and returns the first buffered message still within its hold, or null. */
    private @Nullable Inbound pollFresh() {
        long now = System.nanoTime();
        Iterator<Inbound> it = ready.iterator();
        while (it.hasNext()) {
            Inbound candidate = it.next();
            if (now - candidate.arrivedNanos() <= holdNanos) {
                it.remove();
                return candidate;
            }
            // stale ones stay for sweep() to release
        }
        return null;
    }

    /** Makes buffered messages held longer than the prefetch hold visible again. */
    void sweep() {
        List<Inbound> stale = new ArrayList<>();
        lock.lock();
        try {
            long now = System.nanoTime();
            Iterator<Inbound> it = ready.iterator();
            while (it.hasNext()) {
                Inbound inbound = it.next();
                if (now - inbound.arrivedNanos() > holdNanos) {
                    it.remove();
                    stale.add(inbound);
                }
            }
        } finally {
            lock.unlock();
        }
        release(stale);
    }

    /**
     * Wakes every taker (they return empty), makes every buffered message visible again, and
     * lets receives in flight finish (what they bring is made visible again too).
     */
    void close() {
        List<Inbound> all;
        lock.lock();
        try {
            closed = true;
            all = new ArrayList<>(ready);
            ready.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        receiveThreads.shutdown();
        release(all);
    }

    /**
     * Waits for receives in flight to finish, for an orderly close.
     *
     * @return true if none is left
     */
    boolean awaitReceives(Duration bound) throws InterruptedException {
        return receiveThreads.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** {@return how many takers wait now (for tests and metrics)} */
    int waiting() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    /** {@return how many receive calls are in flight now (for tests and metrics)} */
    int receivesInFlight() {
        lock.lock();
        try {
            return receivesInFlight;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds received messages to the buffer and wakes takers: what a receive does with its
     * result. Tests use it to stand for a batch larger than the takers left to hand it to.
     */
    void addReceived(List<Inbound> received) {
        lock.lock();
        try {
            ready.addAll(received);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** {@return how many received messages wait in the buffer now} */
    int buffered() {
        lock.lock();
        try {
            return ready.size();
        } finally {
            lock.unlock();
        }
    }

    private void release(List<Inbound> messages) {
        if (messages.isEmpty()) {
            return;
        }
        List<String> handles = new ArrayList<>(messages.size());
        for (Inbound inbound : messages) {
            handles.add(inbound.message().receiptHandle());
        }
        List<@Nullable RuntimeException> failures = ops.releaseNow(handles);
        for (int i = 0; i < messages.size(); i++) {
            Inbound inbound = messages.get(i);
            RuntimeException failure = failures.get(i);
            if (failure == null) {
                LOG.debug("released prefetched message {} of job {}", inbound.message().messageId(), inbound.job().id());
            } else {
                LOG.warn("could not release prefetched message {} of job {}; it comes back when its lease ends: {}",
                        inbound.message().messageId(), inbound.job().id(), failure.getMessage());
            }
        }
    }
}
