package dev.ergate.internal;

import org.jspecify.annotations.Nullable;

/**
 * Admin listing cursors that carry one position: {@code prefix + position}. The prefix names the
 * listing that handed the cursor out, so a cursor of another listing or backend is refused.
 */
public final class PositionCursors {

    private PositionCursors() {
    }

    /** {@return the cursor for the page that starts after {@code position}} */
    public static String encode(String prefix, long position) {
        return prefix + position;
    }

    /**
     * Reads a cursor this class made with the same prefix.
     *
     * @param prefix the listing's prefix
     * @param cursor the caller's cursor; {@code null} for the first page
     * @param owner names the listing in the error, e.g. {@code "RedisJobAdmin"}
     * @param first the position to return for the first page
     * @return the position after which the page starts
     * @throws IllegalArgumentException when the cursor was not made by this listing
     */
    public static long decode(String prefix, @Nullable String cursor, String owner, long first) {
        if (cursor == null) {
            return first;
        }
        if (cursor.startsWith(prefix)) {
            try {
                return Long.parseLong(cursor.substring(prefix.length()));
            } catch (NumberFormatException e) {
                // refused below, with the same message as any foreign cursor
            }
        }
        throw new IllegalArgumentException("cursor '" + cursor + "' was not handed out by this " + owner);
    }
}
