package dev.ergate;

import java.io.ByteArrayOutputStream;

/**
 * The growable buffer {@link JobCodec#encode} writes into, recycled per thread (taken out of its
 * slot while in use, so a nested encode gets its own; not kept past {@link #LARGEST_KEPT} bytes),
 * so an encode allocates little more than its result (figures: BENCHMARKS.md). One thread at a
 * time per instance.
 */
final class EncodeBuffer extends ByteArrayOutputStream {

    /** The largest buffer kept for reuse. */
    static final int LARGEST_KEPT = 1 << 20;

    private static final int INITIAL_BYTES = 1024;
    private static final ThreadLocal<EncodeBuffer> SPARE = new ThreadLocal<>();

    private EncodeBuffer() {
        super(INITIAL_BYTES);
    }

    /** {@return this thread's spare buffer, empty, or a new one when it has none (or is using it)} */
    static EncodeBuffer take() {
        EncodeBuffer spare = SPARE.get();
        if (spare == null) {
            return new EncodeBuffer();
        }
        SPARE.set(null);
        return spare;
    }

    /** Keeps this buffer as the thread's spare, emptied, unless it grew too large. */
    void giveBack() {
        if (buf.length <= LARGEST_KEPT) {
            reset();
            SPARE.set(this);
        }
    }

    /** {@return how many bytes the buffer can hold before it grows (for tests)} */
    int capacity() {
        return buf.length;
    }
}
