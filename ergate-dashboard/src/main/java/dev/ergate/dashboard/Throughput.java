package dev.ergate.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Jobs finished per time slot, from the count of final jobs seen each time the overview is
 * read. Nothing is polled in the background: with no page open the store is not asked, and the
 * chart starts when someone starts watching. A count that goes down (purge, retention, a retried
 * job leaving FAILED) adds nothing. Thread-safe.
 */
final class Throughput {

    /** One bar of the chart: jobs that became final in [start, start + slot). */
    record Slot(Instant start, long finished) {
    }

    private static final Duration MIN_GAP = Duration.ofMillis(500);

    private final Clock clock;
    private final Duration window;
    private final Duration slot;
    private final Deque<long[]> samples = new ArrayDeque<>(); // {epoch ms, final jobs}

    Throughput(Clock clock, Duration window) {
        this.clock = clock;
        this.window = window;
        this.slot = Duration.ofMillis(Math.max(1_000, window.toMillis() / 60));
    }

    /** {@return the width of one slot} */
    Duration slot() {
        return slot;
    }

    /** Records the number of final jobs now (ignored if the last sample is very recent). */
    synchronized void sample(long finalJobs) {
        long now = clock.millis();
        long[] last = samples.peekLast();
        if (last != null && now - last[0] < MIN_GAP.toMillis()) {
            return;
        }
        samples.addLast(new long[] {now, finalJobs});
        long oldest = now - window.toMillis() - slot.toMillis();
        while (samples.size() > 2 && samples.getFirst()[0] < oldest) {
            samples.removeFirst();
        }
    }

    /** {@return the slots of the window, oldest first; slots before the first sample are absent} */
    synchronized List<Slot> slots() {
        long now = clock.millis();
        long slotMs = slot.toMillis();
        long end = (now / slotMs + 1) * slotMs;
        long start = end - (window.toMillis() / slotMs) * slotMs;
        List<Slot> result = new ArrayList<>();
        if (samples.isEmpty()) {
            return result;
        }
        long first = Math.max(start, samples.getFirst()[0] / slotMs * slotMs);
        long[] counts = new long[(int) ((end - first) / slotMs)];
        long @Nullable [] previous = null;
        for (long[] sample : samples) {
            // a delta from before the window (the page was closed) is not piled into one bar
            if (previous != null && sample[1] > previous[1] && previous[0] >= first) {
                counts[(int) ((sample[0] - first) / slotMs)] += sample[1] - previous[1];
            }
            previous = sample;
        }
        for (int i = 0; i < counts.length; i++) {
            result.add(new Slot(Instant.ofEpochMilli(first + i * slotMs), counts[i]));
        }
        return result;
    }
}
