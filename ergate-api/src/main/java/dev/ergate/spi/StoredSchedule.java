package dev.ergate.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A schedule as a {@link ScheduleStore} holds it: the runtime's definition as JSON text (the
 * store does not read it), whether it is paused, and its cursor, the latest tick already handled
 * (fired or skipped); only ticks after the cursor can still be claimed.
 *
 * @param id the schedule's id, unique in the store
 * @param definition the runtime's JSON for timing, workflow, input and missed-tick policy
 * @param paused whether the scheduler leaves it alone
 * @param cursor the latest tick handled; ticks at or before it never fire again
 */
public record StoredSchedule(String id, String definition, boolean paused, Instant cursor) {

    /** Checks the fields. */
    public StoredSchedule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(cursor, "cursor");
        if (id.isBlank()) {
            throw new IllegalArgumentException("a schedule id must not be blank");
        }
    }
}
