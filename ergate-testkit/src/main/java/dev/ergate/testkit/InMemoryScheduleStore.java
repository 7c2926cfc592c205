package dev.ergate.testkit;

import dev.ergate.spi.ScheduleStore;
import dev.ergate.spi.StoredSchedule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link ScheduleStore} in memory, for tests and single-process use: schedules and tick claims
 * in maps under one lock, so every call is atomic. Thread-safe.
 */
public final class InMemoryScheduleStore implements ScheduleStore {

    private record Claim(String owner, Instant leaseUntil) {
    }

    private final Object lock = new Object();
    private final Map<String, StoredSchedule> schedules = new TreeMap<>();
    private final Map<String, Map<Instant, Claim>> claims = new TreeMap<>();

    private InMemoryScheduleStore() {
    }

    /** {@return an empty store} */
    public static InMemoryScheduleStore create() {
        return new InMemoryScheduleStore();
    }

    @Override
    public void save(StoredSchedule schedule) {
        synchronized (lock) {
            StoredSchedule old = schedules.get(schedule.id());
            Instant cursor = old != null && old.cursor().isAfter(schedule.cursor()) ? old.cursor() : schedule.cursor();
            schedules.put(schedule.id(), new StoredSchedule(schedule.id(), schedule.definition(), schedule.paused(),
                    cursor));
        }
    }

    @Override
    public Optional<StoredSchedule> find(String id) {
        synchronized (lock) {
            return Optional.ofNullable(schedules.get(id));
        }
    }

    @Override
    public List<StoredSchedule> list() {
        synchronized (lock) {
            return new ArrayList<>(schedules.values());
        }
    }

    @Override
    public boolean delete(String id) {
        synchronized (lock) {
            claims.remove(id);
            return schedules.remove(id) != null;
        }
    }

    @Override
    public boolean setPaused(String id, boolean paused, Instant now) {
        synchronized (lock) {
            StoredSchedule old = schedules.get(id);
            if (old == null) {
                return false;
            }
            Instant cursor = !paused && now.isAfter(old.cursor()) ? now : old.cursor();
            schedules.put(id, new StoredSchedule(id, old.definition(), paused, cursor));
            return true;
        }
    }

    @Override
    public boolean claimTick(String id, Instant tick, String owner, Instant leaseUntil, Instant now) {
        synchronized (lock) {
            StoredSchedule schedule = schedules.get(id);
            if (schedule == null || schedule.paused()) {
                return false;
            }
            Map<Instant, Claim> open = claims.computeIfAbsent(id, k -> new TreeMap<>());
            Claim existing = open.get(tick);
            if (existing != null) {
                if (existing.leaseUntil().isBefore(now)) {
                    open.put(tick, new Claim(owner, leaseUntil));
                    return true;
                }
                return false;
            }
            if (!tick.isAfter(schedule.cursor())) {
                return false;
            }
            open.put(tick, new Claim(owner, leaseUntil));
            schedules.put(id, new StoredSchedule(id, schedule.definition(), false, tick));
            return true;
        }
    }

    @Override
    public void finishTick(String id, Instant tick) {
        synchronized (lock) {
            Map<Instant, Claim> open = claims.get(id);
            if (open != null) {
                open.remove(tick);
            }
        }
    }

    @Override
    public void advanceCursor(String id, Instant to) {
        synchronized (lock) {
            StoredSchedule old = schedules.get(id);
            if (old != null && to.isAfter(old.cursor())) {
                schedules.put(id, new StoredSchedule(id, old.definition(), old.paused(), to));
            }
        }
    }

    @Override
    public List<Instant> abandonedTicks(String id, Instant now) {
        synchronized (lock) {
            List<Instant> ticks = new ArrayList<>();
            claims.getOrDefault(id, Map.of()).forEach((tick, claim) -> {
                if (claim.leaseUntil().isBefore(now)) {
                    ticks.add(tick);
                }
            });
            return ticks;
        }
    }

    @Override
    public String toString() {
        return "InMemoryScheduleStore";
    }
}
