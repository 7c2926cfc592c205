package dev.ergate.runtime.schedule;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/** Lists a timing's ticks in a window, walking forward with {@link ScheduleTiming#next}. */
final class DueTicks {

    /** A bound on one window's ticks, so a tiny interval and a long gap can't stall a pass. */
    static final int MAX_PER_WINDOW = 10_000;

    private DueTicks() {
    }

    /** {@return the ticks in (from, to], oldest first, at most {@link #MAX_PER_WINDOW}} */
    static List<Instant> between(ScheduleTiming timing, Instant from, Instant to) {
        List<Instant> ticks = new ArrayList<>();
        Optional<Instant> next = timing.next(from);
        while (next.isPresent() && !next.get().isAfter(to) && ticks.size() < MAX_PER_WINDOW) {
            ticks.add(next.get());
            next = timing.next(next.get());
        }
        return ticks;
    }

    /** {@return the latest {@code keep} ticks in (from, to], oldest first} */
    static List<Instant> latest(ScheduleTiming timing, Instant from, Instant to, int keep) {
        // walk back a little further than needed for a start, then forward, which is the truth
        Instant start = to;
        for (int i = 0; i < keep + 2; i++) {
            Optional<Instant> previous = timing.roughPrevious(start);
            if (previous.isEmpty() || !previous.get().isAfter(from)) {
                start = from;
                break;
            }
            start = previous.get();
        }
        Deque<Instant> last = new ArrayDeque<>();
        for (Instant tick : between(timing, start, to)) {
            last.addLast(tick);
            if (last.size() > keep) {
                last.removeFirst();
            }
        }
        return new ArrayList<>(last);
    }
}
