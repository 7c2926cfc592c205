package dev.ergate.micrometer;

import dev.ergate.spi.QueueCounts;
import dev.ergate.spi.QueueStats;
import io.micrometer.core.instrument.Clock;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a queue's counts for its four gauges with one backend call per scrape: a reading is
 * reused for {@value #REUSE_MILLIS} ms. A count the backend can't tell, or a failed call, reads as
 * NaN (no sample). Thread-safe.
 */
final class QueueCountsReader {

    private static final Logger LOG = LoggerFactory.getLogger(QueueCountsReader.class);
    static final long REUSE_MILLIS = 1000;

    private final QueueStats stats;
    private final Clock clock;
    private @Nullable QueueCounts last;
    private long readAt;
    private boolean read;
    private boolean failing;

    QueueCountsReader(QueueStats stats, Clock clock) {
        this.stats = stats;
        this.clock = clock;
    }

    double read(ToLongFunction<QueueCounts> count) {
        QueueCounts counts = counts();
        if (counts == null) {
            return Double.NaN;
        }
        long value = count.applyAsLong(counts);
        return value < 0 ? Double.NaN : value;
    }

    private synchronized @Nullable QueueCounts counts() {
        long now = clock.monotonicTime();
        if (read && now - readAt < REUSE_MILLIS * 1_000_000) {
            return last; // null after a failure: one failing call per scrape, not four
        }
        read = true;
        readAt = now;
        try {
            last = stats.counts();
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("Reading the queue's counts for the ergate.queue.messages gauges failed: {}", e.toString());
                failing = true;
            }
            last = null;
        }
        return last;
    }
}
