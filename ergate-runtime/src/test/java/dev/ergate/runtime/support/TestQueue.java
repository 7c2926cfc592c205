package dev.ergate.runtime.support;

import dev.ergate.Job;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.ErgateBackendException;
import dev.ergate.spi.JobQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
    /** Live messages, in put order. */
    private final java.util.LinkedHashSet<Entry> entries = new java.util.LinkedHashSet<>();
    /** Messages visible now (stale slots are skipped). */
    private final java.util.ArrayDeque<Slot> ready = new java.util.ArrayDeque<>();
    /** Messages that become visible later: delayed puts, releases and leases. */
    private final java.util.PriorityQueue<Slot> later =
            new java.util.PriorityQueue<>(java.util.Comparator.comparing(Slot::at));
    private final List<Job> puts = new ArrayList<>();
    private final List<String> deadLetters = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    public final AtomicInteger failTakes = new AtomicInteger();
    public final AtomicInteger failPuts = new AtomicInteger();
    public final AtomicInteger failAcks = new AtomicInteger();
    public final AtomicInteger takeCalls = new AtomicInteger();
    public final AtomicInteger extendCalls = new AtomicInteger();
    /** Set true to make every lease extension fail as if the lease had been lost. */
    public volatile boolean failExtends;
    private int capacityChecked = -1;
    /** Puts of jobs whose encoded JSON is longer than this are refused as too large. */
    public volatile int maxJobChars = Integer.MAX_VALUE;
    private long tokens;
    /** Set false to keep no history (puts, events), for long benchmark runs. */
    public volatile boolean recordHistory = true;

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
        long version;
    }

    private record Slot(Entry entry, long version, Instant at) {
    }

    /** Schedules the entry to become visible at {@code at}; the caller holds the lock. */
    private void schedule(Entry entry, Instant at) {
        entry.version++;
        entry.visibleAt = at;
        Slot slot = new Slot(entry, entry.version, at);
        if (at.isAfter(clock.instant())) {
            later.add(slot);
        } else {
            ready.add(slot);
        }
        changed.signalAll();
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
            entries.add(entry);
            schedule(entry, job.requestedStartTime() != null && job.requestedStartTime().isAfter(now)
                    ? job.requestedStartTime() : now);
            if (recordHistory) {
                puts.add(job);
                events.add("put " + job.status());
            }
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
            entry.deliveries = deliveries;
            entries.add(entry);
            schedule(entry, clock.instant());
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
                while (!later.isEmpty() && !later.peek().at().isAfter(now)) {
                    ready.add(later.poll());
                }
                Slot slot;
                while ((slot = ready.poll()) != null) {
                    Entry entry = slot.entry();
                    if (slot.version() != entry.version || !entries.contains(entry)) {
                        continue; // stale: rescheduled or settled since
                    }
                    entry.deliveries++;
                    entry.token = ++tokens;
                    schedule(entry, now.plus(leaseTime));
                    return Optional.of(new TestDelivery(entry, entry.token));
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

    /** Logs the call as {@code releaseHeld}; this queue holds nothing ahead. */
    @Override
    public void releaseHeld() {
        note("releaseHeld");
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
                    entry.token = ++tokens;
                    schedule(entry, clock.instant().plus(delay));
                    events.add("release " + job.id());
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void extend(Duration duration) {
            extendCalls.incrementAndGet();
            if (failExtends) {
                throw new ErgateBackendException("test queue: lease lost (failExtends)", null, false);
            }
            lock.lock();
            try {
                if (entry.token != token) {
                    throw new ErgateBackendException("test queue: lease lost", null, false);
                }
                schedule(entry, clock.instant().plus(duration));
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
                    entries.remove(entry);
                    entry.token = -1;
                    if (recordHistory) {
                        events.add(what + " " + job.id());
                    }
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
