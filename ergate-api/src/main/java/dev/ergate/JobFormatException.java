package dev.ergate;

import org.jspecify.annotations.Nullable;

/**
 * A document is not a valid job: invalid JSON, not an object, or a field with a value Ergate
 * can't accept. The message names the field and the offending value; {@link #field()} gives the
 * field alone ({@code null} when the problem is the document as a whole).
 *
 * <p>This is the only exception {@link JobCodec#decode(byte[])} throws, whatever the bytes.
 */
public final class JobFormatException extends ErgateException {

    private static final long serialVersionUID = 1L;

    private final @Nullable String field;

    /**
     * @param field the JSON field at fault, or {@code null} for the whole document
     * @param message the full message, naming the field and the offending value
     * @param cause the parser's exception, if any
     */
    public JobFormatException(@Nullable String field, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.field = field;
    }

    /** {@return the JSON field at fault, or {@code null} when the document as a whole is bad} */
    public @Nullable String field() {
        return field;
    }
}
