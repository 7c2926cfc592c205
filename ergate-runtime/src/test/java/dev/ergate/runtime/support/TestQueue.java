package dev.ergate.runtime.support;

import dev.ergate.Job;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.ErgateBackendException;
import dev.ergate.spi.JobQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** A small in-memory queue for the runtime's own tests (the testkit has the real one). */
public class TestQueue implements JobQueue {

    private final Clock clock;
    private final Duration leaseTime;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final LinkedList<Entry> entries = new LinkedList<>();
    private final List<Job> puts = new ArrayList<>();
    private final List<String> deadLetters = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    public final AtomicInteger failTakes = new AtomicInteger();
    public final AtomicInteger failPuts = new AtomicInteger();
    public final AtomicInteger failAcks = new AtomicInteger();
    public final AtomicInteger takeCalls = new AtomicInteger();
    public final AtomicInteger extendCalls = new AtomicInteger();
    private int capacityChecked = -1;
    /** Puts of jobs whose encoded JSON is longer than this are refused as too large. */
    public volatile int maxJobChars = Integer.MAX_VALUE;
    private long tokens;

    public TestQueue() {
        this(Clock.systemUTC(), Duration.ofSeconds(30));
    }

    public TestQueue(Clock clock, Duration leaseTime) {
        this.clock = clock;
        this.leaseTime = leaseTime;
    }

    private static final class Entry {
        Job job;
        Instant visibleAt;
        int deliveries;
        long token;
        boolean leased;
    }

    @Override
    public void put(Job job) {
        if (failPuts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new ErgateBackendException("test queue: put failed", null, true);
        }
        int size = dev.ergate.JobCodec.standard().encode(job).length;
        if (size > maxJobChars) {
            throw new dev.ergate.spi.JobTooLargeException(job.id(), job.workflowName(), size, maxJobChars);
        }
        lock.lock();
        try {
            Entry entry = new Entry();
            entry.job = job;
            Instant now = clock.instant();
            entry.visibleAt = job.requestedStartTime() != null && job.requestedStartTime().isAfter(now)
                    ? job.requestedStartTime() : now;
            entries.add(entry);
            puts.add(job);
            events.add("put " + job.status());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Adds a message as if it had been delivered {@code deliveries} times already. */
    public void putDelivered(Job job, int deliveries) {
        lock.lock();
        try {
            Entry entry = new Entry();
            entry.job = job;
            entry.visibleAt = clock.instant();
            entry.deliveries = deliveries;
            entries.add(entry);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Delivery> take(Duration maxWait) throws InterruptedException {
        takeCalls.incrementAndGet();
        if (failTakes.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new ErgateBackendException("test queue: take failed", null, true);
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        lock.lockInterruptibly();
        try {
            while (true) {
                Instant now = clock.instant();
                for (Entry entry : entries) {
                    if (!entry.visibleAt.isAfter(now)) {
                        entry.deliveries++;
                        entry.token = ++tokens;
                        entry.leased = true;
                        entry.visibleAt = now.plus(leaseTime);
                        return Optional.of(new TestDelivery(entry, entry.token));
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)));
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void checkCapacity(int concurrentTakers) {
        capacityChecked = concurrentTakers;
    }

    /** Adds a line to the event log, for tests that check the order of backend calls. */
    public void note(String event) {
        lock.lock();
        try {
            events.add(event);
        } finally {
            lock.unlock();
        }
    }

    public int capacityChecked() {
        return capacityChecked;
    }

    public int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    public List<Job> puts() {
        lock.lock();
        try {
            return List.copyOf(puts);
        } finally {
            lock.unlock();
        }
    }

    public List<String> deadLetters() {
        lock.lock();
        try {
            return List.copyOf(deadLetters);
        } finally {
            lock.unlock();
        }
    }

    public List<String> events() {
        lock.lock();
        try {
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }

    /** Jobs waiting (not leased). */
    public List<Job> waiting() {
        lock.lock();
        try {
            List<Job> jobs = new ArrayList<>();
            for (Entry entry : entries) {
                jobs.add(entry.job);
            }
            return jobs;
        } finally {
            lock.unlock();
        }
    }

    private final class TestDelivery implements Delivery {
        private final Entry entry;
        private final long token;
        private final Job job;
        private final int count;

        TestDelivery(Entry entry, long token) {
            this.entry = entry;
            this.token = token;
            this.job = entry.job;
            this.count = entry.deliveries;
        }

        @Override
        public Job job() {
            return job;
        }

        @Override
        public int deliveryCount() {
            return count;
        }

        @Override
        public Instant leaseExpiresAt() {
            lock.lock();
            try {
                return entry.visibleAt;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void ack() {
            if (failAcks.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new ErgateBackendException("test queue: ack failed", null, true);
            }
            settle("ack", null);
        }

        @Override
        public void release(Duration delay) {
            lock.lock();
            try {
                if (entry.token == token && entries.contains(entry)) {
                    entry.visibleAt = clock.instant().plus(delay);
                    entry.token = ++tokens;
                    events.add("release " + job.id());
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void extend(Duration duration) {
            extendCalls.incrementAndGet();
            lock.lock();
            try {
                if (entry.token != token) {
                    throw new ErgateBackendException("test queue: lease lost", null, false);
                }
                entry.visibleAt = clock.instant().plus(duration);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void deadLetter(String reason) {
            settle("deadLetter", reason);
        }

        private void settle(String what, String reason) {
            lock.lock();
            try {
                if (entry.token == token) {
                    for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
                        if (it.next() == entry) {
                            it.remove();
                        }
                    }
                    entry.token = -1;
                    events.add(what + " " + job.id());
                    if (reason != null) {
                        deadLetters.add(reason);
                    }
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
