package dev.ergate.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that moves only when told to ({@link #advance(Duration)}), so a test lets hours
 * pass without sleeping; waiters {@linkplain #onChange(Runnable) register} to re-check when it
 * moves. Thread-safe.
 */
public final class ManualClock extends Clock {

    private final AtomicReference<Instant> now;
    private final ZoneId zone;
    private final List<Runnable> listeners;

    private ManualClock(AtomicReference<Instant> now, ZoneId zone, List<Runnable> listeners) {
        this.now = now;
        this.zone = zone;
        this.listeners = listeners;
    }

    /**
     * @param start the time the clock shows until it is moved
     * @return a clock in UTC
     */
    public static ManualClock startingAt(Instant start) {
        return new ManualClock(new AtomicReference<>(Objects.requireNonNull(start, "start")),
                ZoneOffset.UTC, new CopyOnWriteArrayList<>());
    }

    /** {@return a clock in UTC showing 2030-01-01T00:00:00Z, a fixed time so tests repeat} */
    public static ManualClock create() {
        return startingAt(Instant.parse("2030-01-01T00:00:00Z"));
    }

    /**
     * Moves the clock forward.
     *
     * @param duration how far; zero or positive
     * @return the new time
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public Instant advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a ManualClock only moves forward, got " + duration);
        }
        Instant moved = now.updateAndGet(t -> t.plus(duration));
        fireChanged();
        return moved;
    }

    /**
     * Moves the clock to a time, which may not be before the current one.
     *
     * @param time the new time
     * @throws IllegalArgumentException if {@code time} is before the clock's current time
     */
    public void set(Instant time) {
        Objects.requireNonNull(time, "time");
        now.updateAndGet(current -> {
            if (time.isBefore(current)) {
                throw new IllegalArgumentException(
                        "a ManualClock only moves forward: it shows " + current + ", asked for " + time);
            }
            return time;
        });
        fireChanged();
    }

    /**
     * Registers code to run (on the thread that moves the clock) after every move.
     *
     * @param listener what to run; must be quick and must not throw
     * @return a handle that unregisters the listener when run
     */
    public Runnable onChange(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void fireChanged() {
        for (Runnable listener : listeners) {
            listener.run();
        }
    }

    @Override
    public Instant instant() {
        return Objects.requireNonNull(now.get(), "always set");
    }

    @Override
    public long millis() {
        return instant().toEpochMilli();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** {@return a view of this clock in another zone, sharing its time and listeners} */
    @Override
    public Clock withZone(ZoneId otherZone) {
        return otherZone.equals(zone) ? this : new ManualClock(now, otherZone, listeners);
    }

    @Override
    public String toString() {
        return "ManualClock[" + now.get() + ", " + zone + "]";
    }
}
