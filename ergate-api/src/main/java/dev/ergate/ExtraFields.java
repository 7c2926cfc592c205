package dev.ergate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * A job's extra fields ({@link Job#extraFields()}): a read-only map in insertion order over two
 * arrays, names and values. A job has a few (the runtime's {@code current_step}, {@code
 * queued_at}, ...) and every step makes a changed copy, so a copy is two small array copies
 * (often one: the names stay when only values change) instead of a hash map, its entries and a
 * read-only view, and a lookup is a scan of a few names, most of them the same {@code String}
 * instances as the runtime's constants. Past {@link #SCAN_LIMIT} fields (a document from
 * elsewhere with many unknown fields) lookups go through a hash index, so reading one stays linear.
 * The arrays are never changed once shared: {@link Job.Builder} copies them before a change.
 */
final class ExtraFields extends AbstractMap<String, JsonNode> {

    /** Up to this many fields, a lookup scans the names; more get a hash index. */
    static final int SCAN_LIMIT = 8;

    static final String[] NO_NAMES = new String[0];
    static final JsonNode[] NO_VALUES = new JsonNode[0];
    static final ExtraFields EMPTY = new ExtraFields(NO_NAMES, NO_VALUES, 0);

    /** Names and values; only the first {@link #size} slots count (the arrays may be longer). */
    final String[] names;
    final JsonNode[] values;
    private final int size;
    /** Name to slot, for more than {@link #SCAN_LIMIT} fields; else null. */
    private final @Nullable Map<String, Integer> index;
    private @Nullable Set<Entry<String, JsonNode>> entries;

    ExtraFields(String[] names, JsonNode[] values, int size) {
        this.names = names;
        this.values = values;
        this.size = size;
        this.index = size > SCAN_LIMIT ? indexOf(names, size) : null;
    }

    /** {@return a hash index of the first {@code size} names} */
    static Map<String, Integer> indexOf(String[] names, int size) {
        Map<String, Integer> index = new HashMap<>(size * 2);
        for (int i = 0; i < size; i++) {
            index.put(names[i], i);
        }
        return index;
    }

    /** {@return the slot of {@code name} among the first {@code size} names, or -1} (a scan). */
    static int scan(String[] names, int size, Object name) {
        for (int i = 0; i < size; i++) {
            if (names[i] == name) {
                return i;
            }
        }
        // not the same instance: compare hashes (cached in each String) before the text
        int hash = name.hashCode();
        for (int i = 0; i < size; i++) {
            String candidate = names[i];
            if (candidate.hashCode() == hash && candidate.equals(name)) {
                return i;
            }
        }
        return -1;
    }

    int slotOf(@Nullable Object name) {
        if (name == null) {
            return -1;
        }
        if (index != null) {
            Integer slot = index.get(name);
            return slot == null ? -1 : slot;
        }
        return scan(names, size, name);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public @Nullable JsonNode get(@Nullable Object name) {
        int slot = slotOf(name);
        return slot < 0 ? null : values[slot];
    }

    @Override
    public boolean containsKey(@Nullable Object name) {
        return slotOf(name) >= 0;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super JsonNode> action) {
        Objects.requireNonNull(action, "action");
        for (int i = 0; i < size; i++) {
            action.accept(names[i], values[i]);
        }
    }

    /** True when a value is a JSON object or array (a tree that could be changed in place). */
    boolean anyContainer() {
        for (int i = 0; i < size; i++) {
            if (values[i].isContainerNode()) {
                return true;
            }
        }
        return false;
    }

    /** {@return a copy with its own copies of every JSON object and array} */
    ExtraFields deepCopy() {
        JsonNode[] copied = new JsonNode[size];
        for (int i = 0; i < size; i++) {
            copied[i] = values[i].deepCopy();
        }
        return new ExtraFields(names, copied, size); // names are never changed once shared
    }

    /**
     * {@return these fields with each name set to its value, or removed where the value is null,
     * in argument order, as {@link Job.Builder#extraField} calls would leave them: a replaced field
     * keeps its place, an added one goes last; this same map when nothing changes} The names are
     * all different; the values are stored as given.
     */
    ExtraFields edited(String name0, @Nullable JsonNode value0, String name1, @Nullable JsonNode value1,
            String name2, @Nullable JsonNode value2, String name3, @Nullable JsonNode value3) {
        int slot0 = slotOf(name0);
        int slot1 = slotOf(name1);
        int slot2 = slotOf(name2);
        int slot3 = slotOf(name3);
        boolean resized = (slot0 < 0) != (value0 == null) || (slot1 < 0) != (value1 == null)
                || (slot2 < 0) != (value2 == null) || (slot3 < 0) != (value3 == null);
        if (!resized) { // only values replaced, or nothing at all
            if (unchanged(slot0, value0) && unchanged(slot1, value1) && unchanged(slot2, value2)
                    && unchanged(slot3, value3)) {
                return this;
            }
            JsonNode[] replaced = java.util.Arrays.copyOf(values, size);
            replace(replaced, slot0, value0);
            replace(replaced, slot1, value1);
            replace(replaced, slot2, value2);
            replace(replaced, slot3, value3);
            return new ExtraFields(names, replaced, size); // names are never changed once shared
        }
        String[] newNames = new String[size + 4];
        JsonNode[] newValues = new JsonNode[size + 4];
        int count = 0;
        for (int i = 0; i < size; i++) {
            JsonNode value = i == slot0 ? value0 : i == slot1 ? value1 : i == slot2 ? value2 : i == slot3 ? value3
                    : values[i];
            if (value != null) {
                newNames[count] = names[i];
                newValues[count++] = value;
            }
        }
        count = append(newNames, newValues, count, slot0, name0, value0);
        count = append(newNames, newValues, count, slot1, name1, value1);
        count = append(newNames, newValues, count, slot2, name2, value2);
        count = append(newNames, newValues, count, slot3, name3, value3);
        return count == 0 ? EMPTY : new ExtraFields(newNames, newValues, count);
    }

    /** {@return these fields with {@code name} set to {@code value}, as one {@link Job.Builder#extraField} call} */
    ExtraFields with(String name, JsonNode value) {
        int slot = slotOf(name);
        if (slot >= 0) {
            if (values[slot].equals(value)) {
                return this;
            }
            JsonNode[] replaced = java.util.Arrays.copyOf(values, size);
            replaced[slot] = value;
            return new ExtraFields(names, replaced, size);
        }
        String[] added = java.util.Arrays.copyOf(names, size + 1);
        JsonNode[] addedValues = java.util.Arrays.copyOf(values, size + 1);
        added[size] = name;
        addedValues[size] = value;
        return new ExtraFields(added, addedValues, size + 1);
    }

    /** Setting {@code value} at {@code slot} (both present, or both absent) changes nothing. */
    private boolean unchanged(int slot, @Nullable JsonNode value) {
        return value == null || values[slot].equals(value);
    }

    private static void replace(JsonNode[] values, int slot, @Nullable JsonNode value) {
        if (value != null && !values[slot].equals(value)) {
            values[slot] = value;
        }
    }

    private static int append(String[] names, JsonNode[] values, int count, int slot, String name,
            @Nullable JsonNode value) {
        if (slot < 0 && value != null) {
            names[count] = name;
            values[count++] = value;
        }
        return count;
    }

    @Override
    public Set<Entry<String, JsonNode>> entrySet() {
        Set<Entry<String, JsonNode>> set = entries;
        if (set == null) {
            set = new EntrySet();
            entries = set;
        }
        return set;
    }

    @Override
    public boolean equals(@Nullable Object other) {
        if (other == this) {
            return true;
        }
        if (!(other instanceof ExtraFields that)) {
            return super.equals(other);
        }
        if (size != that.size) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (!values[i].equals(that.get(names[i]))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = 0;
        for (int i = 0; i < size; i++) {
            hash += names[i].hashCode() ^ values[i].hashCode(); // as Map.hashCode defines it
        }
        return hash;
    }

    private final class EntrySet extends AbstractSet<Entry<String, JsonNode>> {
        @Override
        public int size() {
            return size;
        }

        @Override
        public Iterator<Entry<String, JsonNode>> iterator() {
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < size;
                }

                @Override
                public Entry<String, JsonNode> next() {
                    if (next >= size) {
                        throw new NoSuchElementException();
                    }
                    int slot = next++;
                    return new SimpleImmutableEntry<>(names[slot], values[slot]);
                }
            };
        }
    }
}
