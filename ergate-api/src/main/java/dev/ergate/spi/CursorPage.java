package dev.ergate.spi;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One page of a {@link JobAdmin} listing.
 *
 * @param <T> what is listed
 * @param items this page's items, in the listing's stable order
 * @param nextCursor where the next page starts (opaque, admin-specific), or {@code null} when this
 *     is the last page
 */
public record CursorPage<T>(List<T> items, @Nullable String nextCursor) {

    /** Copies the list, so a page never changes. */
    public CursorPage {
        items = List.copyOf(items);
    }

    /** {@return the cursor of the next page, or empty on the last page} */
    public Optional<String> next() {
        return Optional.ofNullable(nextCursor);
    }
}
