package dev.ergate.runtime.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.internal.DaemonThreads;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.ScheduleStore;
import dev.ergate.spi.StoredSchedule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires the schedules of a {@link ScheduleStore}: one thread per scheduler, however many
 * schedules. Each due tick is claimed in the store and its job submitted with an id made of the
 * schedule id and the tick ({@link #jobId}), so with any number of schedulers each tick gives
 * exactly one job, and a scheduler that dies between claim and submit is replaced by another one
 * that submits the same job once the claim's lease ends. See DESIGN.md, "Recurring schedules".
 * Thread-safe.
 */
public final class Scheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    private static final Duration SHORTEST_WAIT = Duration.ofMillis(10);

    private final ScheduleStore store;
    private final ErgateClient client;
    private final @Nullable JobStore jobs;
    private final Clock clock;
    private final String owner;
    private final Duration pollInterval;
    private final Duration claimLease;
    private final Duration grace;
    private final ScheduleCodec codec = new ScheduleCodec(new ObjectMapper());
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final Object lock = new Object();
    private @Nullable Thread thread;
    /** The earliest next tick seen by the last pass, or null when none is known. */
    private volatile @Nullable Instant nextDue;

    private Scheduler(Builder b) {
        this.store = b.store;
        this.client = b.client;
        this.jobs = b.jobs;
        this.clock = b.clock;
        this.owner = b.owner;
        this.pollInterval = b.pollInterval;
        this.claimLease = b.claimLease;
        this.grace = b.grace;
    }

    /**
     * @param store where the schedules and tick claims are
     * @param client submits each tick's job
     * @return a builder
     */
    public static Builder builder(ScheduleStore store, ErgateClient client) {
        return new Builder(store, client);
    }

    /**
     * @param scheduleId a schedule id
     * @param tick one of its ticks
     * @return the id of the job that tick submits: {@code schedule:<id>@<tick, ISO-8601 UTC>}
     */
    public static JobId jobId(String scheduleId, Instant tick) {
        return JobId.of("schedule:" + scheduleId + "@" + tick);
    }

    /** {@return this scheduler's id in the claims it makes} */
    public String owner() {
        return owner;
    }

    /**
     * One pass, in the calling thread: for every schedule not paused, takes over claims whose
     * scheduler died, then claims and submits the ticks due now (and the missed ones its policy
     * keeps).
     *
     * @return the ids of the jobs this pass submitted, in order
     * @throws dev.ergate.spi.ErgateBackendException if the store fails
     */
    public List<JobId> runOnce() {
        Instant now = clock.instant();
        List<JobId> submitted = new ArrayList<>();
        Instant earliest = null;
        for (StoredSchedule stored : store.list()) {
            if (stored.paused()) {
                continue;
            }
            Schedule schedule;
            try {
                schedule = codec.decode(stored.id(), stored.definition());
            } catch (IllegalArgumentException e) {
                LOG.warn("Schedule '{}' can't be read, so it does not fire: {}", stored.id(), e.getMessage());
                continue;
            }
            fire(stored, schedule, now, submitted);
            Instant after = stored.cursor().isAfter(now) ? stored.cursor() : now;
            Instant next = schedule.nextTick(after).orElse(null);
            if (next != null && (earliest == null || next.isBefore(earliest))) {
                earliest = next;
            }
        }
        nextDue = earliest;
        return submitted;
    }

    private void fire(StoredSchedule stored, Schedule schedule, Instant now, List<JobId> submitted) {
        for (Instant abandoned : store.abandonedTicks(stored.id(), now)) {
            if (claim(schedule, abandoned, now)) {
                LOG.info("Schedule '{}': taking over tick {}, claimed by a scheduler that did not submit it",
                        schedule.id(), abandoned);
                submitted.add(submit(schedule, abandoned));
            }
        }
        Instant cursor = stored.cursor();
        if (!now.isAfter(cursor)) {
            return;     // nothing due yet, or the clock went back: ticks up to the cursor are done
        }
        Instant boundary = now.minus(grace);
        List<Instant> due = new ArrayList<>();
        if (cursor.isBefore(boundary)) {
            int keep = schedule.missedTicks().catchUp();
            if (keep == 0) {
                store.advanceCursor(schedule.id(), boundary);
            } else {
                due.addAll(DueTicks.latest(schedule.timing(), cursor, boundary, keep));
            }
        }
        due.addAll(DueTicks.between(schedule.timing(), cursor.isAfter(boundary) ? cursor : boundary, now));
        for (Instant tick : due) {
            if (claim(schedule, tick, now)) {
                submitted.add(submit(schedule, tick));
            }
        }
    }

    private boolean claim(Schedule schedule, Instant tick, Instant now) {
        return store.claimTick(schedule.id(), tick, owner, now.plus(claimLease), now);
    }

    /** Submits a claimed tick's job unless it already is (a take-over after a crash), then ends the claim. */
    private JobId submit(Schedule schedule, Instant tick) {
        JobId id = jobId(schedule.id(), tick);
        Optional<Job> existing = jobs == null ? Optional.empty() : jobs.find(id);
        if (existing.isPresent() && existing.get().status() != JobStatus.QUEUED) {
            LOG.debug("Schedule '{}' tick {}: job {} was submitted already ({})", schedule.id(), tick, id,
                    existing.get().status());
        } else {
            // QUEUED and found: the crash may have come between the store write and the put; put it again
            client.submit(schedule.workflow()).id(id).input(schedule.input()).userContext(schedule.userContext())
                    .submit();
        }
        store.finishTick(schedule.id(), tick);
        return id;
    }

    /**
     * Runs {@link #runOnce()} on a daemon thread until {@link #close()}, waking for the next due
     * tick or every poll interval, whichever is sooner (to see new schedules and abandoned claims).
     *
     * @return this scheduler
     * @throws IllegalStateException if already started or closed
     */
    public Scheduler start() {
        synchronized (lock) {
            if (thread != null || stopRequested.getCount() == 0) {
                throw new IllegalStateException("this Scheduler was already started or closed");
            }
            Thread loop = DaemonThreads.newThread("ergate-scheduler", this::loop);
            thread = loop;
            loop.start();
        }
        LOG.info("Scheduler {} started (poll {}, claim lease {}, grace {})", owner, pollInterval, claimLease, grace);
        return this;
    }

    private void loop() {
        int failures = 0;
        while (stopRequested.getCount() > 0) {
            Duration wait = pollInterval;
            try {
                runOnce();
                failures = 0;
                Instant next = nextDue;
                if (next != null) {
                    Duration untilNext = Duration.between(clock.instant(), next);
                    wait = untilNext.compareTo(wait) < 0 ? untilNext : wait;
                }
            } catch (RuntimeException e) {
                failures++;
                LOG.warn("Scheduler pass failed ({} in a row), trying again in {}: {}", failures, pollInterval,
                        e.toString());
            }
            if (wait.compareTo(SHORTEST_WAIT) < 0) {
                wait = SHORTEST_WAIT;
            }
            try {
                if (stopRequested.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops the loop, letting a pass in progress finish (so a claimed tick is submitted). Idempotent. */
    @Override
    public void close() {
        Thread running;
        synchronized (lock) {
            stopRequested.countDown();
            running = thread;
        }
        if (running != null && running != Thread.currentThread()) {
            try {
                running.join(claimLease.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "Scheduler[" + owner + ", " + store + "]";
    }

    /** Configures a {@link Scheduler}. Not thread-safe. */
    public static final class Builder {
        private final ScheduleStore store;
        private final ErgateClient client;
        private @Nullable JobStore jobs;
        private Clock clock = Clock.systemUTC();
        private String owner = "scheduler-" + UUID.randomUUID();
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration claimLease = Duration.ofSeconds(30);
        private Duration grace = Duration.ofMinutes(1);

        private Builder(ScheduleStore store, ErgateClient client) {
            this.store = Objects.requireNonNull(store, "store");
            this.client = Objects.requireNonNull(client, "client");
        }

        /**
         * @param jobs where the scheduler looks a tick's job up before submitting it again after
         *     a take-over, so a job that already ran is not queued a second time; without one, a
         *     take-over always queues the job again
         * @return this builder
         */
        public Builder jobStore(@Nullable JobStore jobs) {
            this.jobs = jobs;
            return this;
        }

        /**
         * @param clock where "now" comes from (a fake one in tests); the system UTC clock by default
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param owner this scheduler's id in its claims; random by default
         * @return this builder
         */
        public Builder owner(String owner) {
            if (owner == null || owner.isBlank()) {
                throw new IllegalArgumentException("scheduler owner must not be blank");
            }
            this.owner = owner;
            return this;
        }

        /**
         * @param interval how often the loop looks for new schedules and abandoned claims when no
         *     tick is due sooner; 1 second by default
         * @return this builder
         */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = positive("pollInterval", interval);
            return this;
        }

        /**
         * @param lease how long a claimed tick is this scheduler's alone; another scheduler takes
         *     it over after that if it was not submitted. 30 seconds by default
         * @return this builder
         */
        public Builder claimLease(Duration lease) {
            this.claimLease = positive("claimLease", lease);
            return this;
        }

        /**
         * @param grace how late a tick may still fire as usual; older ones are missed and follow
         *     the schedule's {@link MissedTicks}. 1 minute by default
         * @return this builder
         */
        public Builder grace(Duration grace) {
            this.grace = positive("grace", grace);
            return this;
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("scheduler " + name + " must be positive, got " + value);
            }
            return value;
        }

        /** {@return the scheduler, not started} */
        public Scheduler build() {
            return new Scheduler(this);
        }
    }
}
