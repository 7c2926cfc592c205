package dev.ergate.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where recurring schedules and their tick claims live, so that every scheduler process sees the
 * same schedules and exactly one of them fires each tick: a tick is fired only by the caller whose
 * {@link #claimTick} returned true. Cursors only move forward. Thread-safe; the testkit's
 * {@code ScheduleStoreContract} checks every rule. Why: DESIGN.md, "Recurring schedules".
 */
public interface ScheduleStore {

    /**
     * Creates a schedule or replaces its definition and paused flag. The stored cursor becomes the
     * later of the stored one and {@code schedule.cursor()}, so a save never lets a handled tick
     * fire again.
     *
     * @param schedule the schedule
     * @throws ErgateBackendException if the backend fails
     */
    void save(StoredSchedule schedule);

    /**
     * @param id a schedule id
     * @return the schedule, or empty when there is none with that id
     * @throws ErgateBackendException if the backend fails
     */
    Optional<StoredSchedule> find(String id);

    /**
     * @return every schedule, ordered by id
     * @throws ErgateBackendException if the backend fails
     */
    List<StoredSchedule> list();

    /**
     * Deletes a schedule and its open claims.
     *
     * @param id a schedule id
     * @return true if it existed
     * @throws ErgateBackendException if the backend fails
     */
    boolean delete(String id);

    /**
     * Pauses or resumes a schedule. A resume also moves the cursor to at least {@code now}, so the
     * ticks that passed while it was paused don't fire.
     *
     * @param id a schedule id
     * @param paused true to pause, false to resume
     * @param now the caller's time
     * @return true if the schedule exists
     * @throws ErgateBackendException if the backend fails
     */
    boolean setPaused(String id, boolean paused, Instant now);

    /**
     * Claims one tick of a schedule for the caller, atomically: true for a tick after the cursor
     * that nobody claimed (the cursor moves to it), or for a claim whose lease ended before
     * {@code now} without being {@linkplain #finishTick finished} (a scheduler died between claim
     * and submit; the caller takes it over). False otherwise: the tick is at or before the cursor,
     * is claimed under a live lease, or the schedule is gone or paused.
     *
     * @param id a schedule id
     * @param tick the tick's time
     * @param owner the caller's id, for the record
     * @param leaseUntil until when the claim is the caller's alone
     * @param now the caller's time, against which other claims' leases are judged
     * @return whether the caller now holds the tick
     * @throws ErgateBackendException if the backend fails
     */
    boolean claimTick(String id, Instant tick, String owner, Instant leaseUntil, Instant now);

    /**
     * Records that a claimed tick's job was submitted: its claim goes away.
     *
     * @param id a schedule id
     * @param tick the tick
     * @throws ErgateBackendException if the backend fails
     */
    void finishTick(String id, Instant tick);

    /**
     * Moves a schedule's cursor forward without claims, past ticks the missed-tick policy skips.
     * A cursor already later is kept.
     *
     * @param id a schedule id
     * @param to the new cursor
     * @throws ErgateBackendException if the backend fails
     */
    void advanceCursor(String id, Instant to);

    /**
     * @param id a schedule id
     * @param now the caller's time
     * @return the ticks claimed but not finished whose lease ended before {@code now}, oldest first
     * @throws ErgateBackendException if the backend fails
     */
    List<Instant> abandonedTicks(String id, Instant now);
}
