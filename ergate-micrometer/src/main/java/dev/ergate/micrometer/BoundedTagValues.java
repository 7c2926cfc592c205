package dev.ergate.micrometer;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps one tag's values bounded: the first {@code limit} distinct values pass, later new ones
 * become {@value #OTHER}. Workflow and step names come from the jobs, and a stream of jobs naming
 * made-up workflows must not create a meter each. Thread-safe.
 */
final class BoundedTagValues {

    static final String OTHER = "other";

    private final int limit;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    BoundedTagValues(int limit) {
        this.limit = limit;
    }

    String of(String value) {
        if (seen.contains(value)) {
            return value;
        }
        synchronized (seen) {
            if (seen.size() < limit) {
                seen.add(value);
                return value;
            }
        }
        return OTHER;
    }
}
