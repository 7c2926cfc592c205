package dev.ergate.bench;

import dev.ergate.JobId;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * Job ids in first-write order, at positions 1, 2, 3...: the listing order of {@link
 * LatestStateStore}; an append is one increment and one array write. Holds at most {@value
 * #CAPACITY} ids. Thread-safe; a reader may see a position still being appended as empty.
 */
final class PositionLog {

    private static final int CHUNK_BITS = 12;
    private static final int CHUNK_SIZE = 1 << CHUNK_BITS;
    private static final int MAX_CHUNKS = 1 << 14;
    /** The most ids one log holds. */
    static final long CAPACITY = (long) MAX_CHUNKS * CHUNK_SIZE - 1;

    private final AtomicReferenceArray<@Nullable AtomicReferenceArray<@Nullable JobId>> chunks =
            new AtomicReferenceArray<>(MAX_CHUNKS);
    private final AtomicLong last = new AtomicLong();

    /**
     * @param id a job id written for the first time
     * @return its position
     * @throws IllegalStateException when the log is full
     */
    long append(JobId id) {
        long position = last.incrementAndGet();
        if (position > CAPACITY) {
            throw new IllegalStateException("latest-state store: more than " + CAPACITY + " jobs");
        }
        chunk((int) (position >>> CHUNK_BITS)).set((int) (position & (CHUNK_SIZE - 1)), id);
        return position;
    }

    /** {@return the id at a position, or null if it is not (yet) written} */
    @Nullable JobId at(long position) {
        if (position < 1 || position > last.get()) {
            return null;
        }
        AtomicReferenceArray<@Nullable JobId> chunk = chunks.get((int) (position >>> CHUNK_BITS));
        return chunk == null ? null : chunk.get((int) (position & (CHUNK_SIZE - 1)));
    }

    /** {@return the last position handed out, 0 when empty} */
    long last() {
        return last.get();
    }

    private AtomicReferenceArray<@Nullable JobId> chunk(int index) {
        AtomicReferenceArray<@Nullable JobId> chunk = chunks.get(index);
        if (chunk == null) {
            chunks.compareAndSet(index, null, new AtomicReferenceArray<>(CHUNK_SIZE));
            chunk = chunks.get(index);
        }
        return chunk;
    }
}
