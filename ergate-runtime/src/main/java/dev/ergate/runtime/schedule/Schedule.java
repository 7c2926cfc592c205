package dev.ergate.runtime.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A recurring schedule: on every tick of a cron expression in a time zone, or of a fixed
 * interval, a job of {@link #workflow()} is submitted with the schedule's input and user context.
 * Built with {@link #cron} or {@link #every}; every field is checked when built, and a bad one is
 * named. Immutable.
 *
 * <pre>{@code
 * Schedule nightly = Schedule.cron("nightly-report", "30 2 * * *", ZoneId.of("Europe/Berlin"))
 *         .workflow("report").input(new ReportRequest("daily")).missedTicks(MissedTicks.runOnce()).build();
 * }</pre>
 */
public final class Schedule {

    private final String id;
    private final ScheduleTiming timing;
    private final String workflow;
    private final @Nullable Object input;
    private final @Nullable Object userContext;
    private final MissedTicks missedTicks;

    private Schedule(Builder b, String workflow) {
        this.id = b.id;
        this.timing = b.timing;
        this.workflow = workflow;
        this.input = b.input;
        this.userContext = b.userContext;
        this.missedTicks = b.missedTicks;
    }

    /**
     * @param id the schedule's id (also part of each tick's job id)
     * @param cron a five-field Unix cron expression: minute hour day-of-month month day-of-week
     * @param zone the zone the cron's times are read in
     * @return a builder
     * @throws IllegalArgumentException naming the field, when the id is blank or the cron invalid
     */
    public static Builder cron(String id, String cron, ZoneId zone) {
        Objects.requireNonNull(cron, "cron");
        Objects.requireNonNull(zone, "zone");
        return new Builder(id, ScheduleTiming.cron(cron, zone.getId()));
    }

    /**
     * @param id the schedule's id (also part of each tick's job id)
     * @param cron a five-field Unix cron expression: minute hour day-of-month month day-of-week
     * @param zone the id of the zone the cron's times are read in, such as {@code Europe/Berlin}
     * @return a builder
     * @throws IllegalArgumentException naming the field, when the id is blank, the cron invalid or
     *     the zone unknown
     */
    public static Builder cron(String id, String cron, String zone) {
        Objects.requireNonNull(cron, "cron");
        Objects.requireNonNull(zone, "zone");
        return new Builder(id, ScheduleTiming.cron(cron, zone));
    }

    /**
     * @param id the schedule's id (also part of each tick's job id)
     * @param interval the time between ticks, at least a second; ticks fall on multiples of it
     *     since the epoch (UTC), so every scheduler computes the same instants
     * @return a builder
     * @throws IllegalArgumentException naming the field, when the id is blank or the interval too short
     */
    public static Builder every(String id, Duration interval) {
        Objects.requireNonNull(interval, "interval");
        return new Builder(id, ScheduleTiming.every(interval));
    }

    static Builder withTiming(String id, ScheduleTiming timing) {
        return new Builder(id, timing);
    }

    /** {@return the schedule's id} */
    public String id() {
        return id;
    }

    /** {@return the cron expression, or empty for an interval schedule} */
    public Optional<String> cron() {
        return timing instanceof ScheduleTiming.CronTiming c ? Optional.of(c.expression()) : Optional.empty();
    }

    /** {@return the cron's zone, or empty for an interval schedule} */
    public Optional<ZoneId> zone() {
        return timing instanceof ScheduleTiming.CronTiming c ? Optional.of(c.zone()) : Optional.empty();
    }

    /** {@return the interval, or empty for a cron schedule} */
    public Optional<Duration> interval() {
        return timing instanceof ScheduleTiming.IntervalTiming i ? Optional.of(i.every()) : Optional.empty();
    }

    /** {@return the workflow each tick's job runs} */
    public String workflow() {
        return workflow;
    }

    /** {@return the first step's input (a JSON node once read back from a store), or null} */
    public @Nullable Object input() {
        return input;
    }

    /** {@return the user context every step can read (a JSON node once read back), or null} */
    public @Nullable Object userContext() {
        return userContext;
    }

    /** {@return what happens to missed ticks} */
    public MissedTicks missedTicks() {
        return missedTicks;
    }

    /**
     * @param after a time
     * @return the first tick strictly after it, or empty when the cron never fires again
     */
    public Optional<Instant> nextTick(Instant after) {
        return timing.next(after);
    }

    ScheduleTiming timing() {
        return timing;
    }

    @Override
    public String toString() {
        return "Schedule[" + id + ", " + timing + ", workflow " + workflow + ", missed ticks: " + missedTicks + "]";
    }

    /** Completes a {@link Schedule}. Not thread-safe. */
    public static final class Builder {
        private final String id;
        private final ScheduleTiming timing;
        private @Nullable String workflow;
        private @Nullable Object input;
        private @Nullable Object userContext;
        private MissedTicks missedTicks = MissedTicks.skip();

        private Builder(String id, ScheduleTiming timing) {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("schedule id must not be blank, got "
                        + (id == null ? "null" : "'" + id + "'"));
            }
            this.id = id;
            this.timing = timing;
        }

        /**
         * @param workflow the workflow each tick's job runs
         * @return this builder
         */
        public Builder workflow(String workflow) {
            this.workflow = workflow;
            return this;
        }

        /**
         * @param input the first step's input, converted to JSON when saved; none when null
         * @return this builder
         */
        public Builder input(@Nullable Object input) {
            this.input = input;
            return this;
        }

        /**
         * @param userContext the context every step can read, converted to JSON when saved
         * @return this builder
         */
        public Builder userContext(@Nullable Object userContext) {
            this.userContext = userContext;
            return this;
        }

        /**
         * @param policy what happens to missed ticks; {@link MissedTicks#skip()} by default
         * @return this builder
         */
        public Builder missedTicks(MissedTicks policy) {
            this.missedTicks = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @return the schedule
         * @throws IllegalArgumentException if the workflow is missing or blank
         */
        public Schedule build() {
            String name = workflow;
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("schedule '" + id + "' needs a workflow, got "
                        + (name == null ? "none" : "'" + name + "'"));
            }
            return new Schedule(this, name);
        }
    }
}
