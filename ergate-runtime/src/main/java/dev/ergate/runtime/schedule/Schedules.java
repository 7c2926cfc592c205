package dev.ergate.runtime.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ergate.spi.ScheduleStore;
import dev.ergate.spi.StoredSchedule;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Manages the recurring schedules in a {@link ScheduleStore}: {@code client.schedules()}. A saved
 * schedule fires its first tick after the save; a {@link Scheduler} (in a worker or a publisher)
 * fires the ticks. Thread-safe.
 *
 * <pre>{@code
 * client.schedules().save(Schedule.every("heartbeat", Duration.ofMinutes(1)).workflow("ping").build());
 * client.schedules().pause("heartbeat");
 * client.schedules().list().forEach(s -> log.info("{} next at {}", s.id(), s.nextFireTime()));
 * }</pre>
 */
public final class Schedules {

    private final ScheduleStore store;
    private final ScheduleCodec codec;
    private final Clock clock;

    private Schedules(ScheduleStore store, ObjectMapper mapper, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.codec = new ScheduleCodec(Objects.requireNonNull(mapper, "mapper"));
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param store where schedules are kept
     * @param mapper converts inputs and user contexts to JSON
     * @param clock where "now" comes from
     * @return the schedules API over that store
     */
    public static Schedules of(ScheduleStore store, ObjectMapper mapper, Clock clock) {
        return new Schedules(store, mapper, clock);
    }

    /**
     * Creates a schedule, or updates the one with its id. An update keeps the paused flag and,
     * when the timing is unchanged, the ticks still due (so saving the same schedule at every
     * deploy loses nothing); a new timing counts from now.
     *
     * @param schedule the schedule
     * @return the schedule as listed
     * @throws dev.ergate.spi.ErgateBackendException if the backend fails
     */
    public ScheduleInfo save(Schedule schedule) {
        Instant now = clock.instant();
        Optional<StoredSchedule> existing = store.find(schedule.id());
        boolean paused = existing.map(StoredSchedule::paused).orElse(false);
        Instant cursor = now;
        if (existing.isPresent() && sameTiming(existing.get(), schedule)) {
            cursor = existing.get().cursor();
        }
        StoredSchedule stored = new StoredSchedule(schedule.id(), codec.encode(schedule), paused, cursor);
        store.save(stored);
        return info(store.find(schedule.id()).orElse(stored));
    }

    private boolean sameTiming(StoredSchedule existing, Schedule schedule) {
        try {
            return codec.decode(existing.id(), existing.definition()).timing().toString()
                    .equals(schedule.timing().toString());
        } catch (IllegalArgumentException unreadable) {
            return false;
        }
    }

    /**
     * @param id a schedule id
     * @return the schedule, or empty when there is none
     */
    public Optional<ScheduleInfo> find(String id) {
        return store.find(id).map(this::info);
    }

    /** {@return every schedule, by id, with its next fire time} */
    public List<ScheduleInfo> list() {
        List<ScheduleInfo> all = new ArrayList<>();
        for (StoredSchedule stored : store.list()) {
            all.add(info(stored));
        }
        return all;
    }

    /**
     * Stops a schedule firing until {@link #resume}.
     *
     * @param id a schedule id
     * @return true if it exists
     */
    public boolean pause(String id) {
        return store.setPaused(id, true, clock.instant());
    }

    /**
     * Lets a paused schedule fire again, from its next tick after now: ticks that passed while it
     * was paused don't fire.
     *
     * @param id a schedule id
     * @return true if it exists
     */
    public boolean resume(String id) {
        return store.setPaused(id, false, clock.instant());
    }

    /**
     * @param id a schedule id
     * @return true if it existed; its jobs already submitted are left alone
     */
    public boolean delete(String id) {
        return store.delete(id);
    }

    private ScheduleInfo info(StoredSchedule stored) {
        Schedule schedule = codec.decode(stored.id(), stored.definition());
        Instant after = stored.cursor().isAfter(clock.instant()) ? stored.cursor() : clock.instant();
        Instant next = stored.paused() ? null : schedule.nextTick(after).orElse(null);
        return new ScheduleInfo(schedule, stored.paused(), stored.cursor(), next);
    }
}
