package dev.ergate;

import java.io.ByteArrayOutputStream;

/**
 * The growable buffer {@link JobCodec#encode} writes a job into, recycled per thread: a worker
 * encodes a job on every put, and a fresh buffer that starts small and doubles allocates several
 * times the output before the final copy (a 20 KB document cost 71 KB). A recycled buffer has
 * already grown to the thread's usual size, so an encode allocates little more than its result.
 *
 * <p>A buffer is taken out of its thread's slot while in use, so a nested encode on the same
 * thread (a custom serializer that encodes a job) gets a buffer of its own. Buffers that grew past
 * {@link #LARGEST_KEPT} bytes are not kept, so one huge job does not pin its buffer for the
 * thread's life. On virtual threads each thread starts with a fresh buffer, as without recycling.
 *
 * <p>Each instance is used by one thread at a time.
 */
final class EncodeBuffer extends ByteArrayOutputStream {

    /** The largest buffer kept for reuse. */
    static final int LARGEST_KEPT = 1 << 20;

    private static final int INITIAL_BYTES = 1024;
    private static final ThreadLocal<EncodeBuffer> SPARE = new ThreadLocal<>();

    private EncodeBuffer() {
        super(INITIAL_BYTES);
    }

    /** @return this thread's spare buffer, empty, or a new one when it has none (or is using it) */
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

    /** @return how many bytes the buffer can hold before it grows (for tests) */
    int capacity() {
        return buf.length;
    }
}
