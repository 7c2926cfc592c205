package dev.ergate.opentelemetry;

import io.opentelemetry.api.trace.SpanContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The span of the latest run of each (job, step, steps completed) in this process, so a retry
 * or a re-delivery of the same step can link to it. Bounded: the least recently used entries go
 * first. Thread-safe.
 */
final class EarlierRuns {

    static final int DEFAULT_SIZE = 10_000;

    record Run(SpanContext span, int attempt) {
    }

    private final Map<String, Run> runs;

    EarlierRuns(int size) {
        this.runs = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Run> eldest) {
                return size() > size;
            }
        };
    }

    synchronized @Nullable Run get(String key) {
        return runs.get(key);
    }

    synchronized void put(String key, Run run) {
        runs.put(key, run);
    }
}
