package dev.ergate;

import java.math.BigInteger;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A job's identity. Python Ergate accepts a string or an integer, so a {@code JobId} remembers
 * which one it was and is written back the same way: {@code "7"} stays a string, {@code 7} stays
 * a number. Two ids are equal when both their text and their kind match.
 *
 * <p>Immutable and thread-safe.
 */
public final class JobId {

    private final String text;
    private final boolean numeric;
    /**
     * {@link #hashCode()}, computed once: ids are map keys on the step path (stores, trackers),
     * and a hash kept here spares a read of the text, often a cache miss of its own.
     */
    private final int hash;

    private JobId(String text, boolean numeric) {
        this.text = text;
        this.numeric = numeric;
        this.hash = text.hashCode() * 31 + (numeric ? 1 : 0);
    }

    /**
     * @param text the id, written to JSON as a string
     * @return a string id
     * @throws IllegalArgumentException if the text is empty
     */
    public static JobId of(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("a job id must not be empty");
        }
        return new JobId(text, false);
    }

    /**
     * @param number the id, written to JSON as an integer
     * @return a numeric id
     */
    public static JobId of(long number) {
        return new JobId(Long.toString(number), true);
    }

    /**
     * @param number the id, written to JSON as an integer of any size
     * @return a numeric id
     */
    public static JobId of(BigInteger number) {
        return new JobId(number.toString(), true);
    }

    /** {@return a new random string id (a UUID), as the runtime assigns to jobs without one} */
    public static JobId random() {
        return new JobId(UUID.randomUUID().toString(), false);
    }

    /** {@return true when the id is a JSON integer, false when it is a JSON string} */
    public boolean isNumeric() {
        return numeric;
    }

    /** {@return the id's text: the string itself, or the integer in decimal} */
    public String value() {
        return text;
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other == this || other instanceof JobId that && hash == that.hash && numeric == that.numeric
                && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** {@return the id's text, as {@link #value()}} */
    @Override
    public String toString() {
        return text;
    }
}
