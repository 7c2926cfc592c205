package dev.ergate.runtime.schedule;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A stored schedule as {@link Schedules#list()} shows it.
 *
 * @param schedule the definition
 * @param paused whether it is paused
 * @param lastTick the latest tick already fired or skipped
 * @param nextFireTime the next tick that would fire, or null when paused or never again
 */
public record ScheduleInfo(Schedule schedule, boolean paused, Instant lastTick, @Nullable Instant nextFireTime) {

    /** Checks the fields. */
    public ScheduleInfo {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(lastTick, "lastTick");
    }

    /** {@return the schedule's id} */
    public String id() {
        return schedule.id();
    }
}
