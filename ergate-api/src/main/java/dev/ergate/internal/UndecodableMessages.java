package dev.ergate.internal;

import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.JobFormatException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The path of a message that is not a job: never handed out, moved to the dead letters with
 * one reason wording in every adapter.
 */
public final class UndecodableMessages {

    /** How much of a bad message's text a log line shows. */
    static final int PREVIEW_CHARS = 200;

    private UndecodableMessages() {
    }

    /**
     * Decodes a message, or gives it up.
     *
     * @param codec the queue's codec
     * @param body the message as it was on the queue
     * @param deadLetter moves the message to the dead letters with the reason it is given (and
     *     logs it); called only when {@code body} is not a job
     * @return the job, or null when the message was not one
     */
    public static @Nullable Job decodeOrDeadLetter(JobCodec codec, byte[] body, Consumer<String> deadLetter) {
        try {
            return codec.decode(body);
        } catch (JobFormatException e) {
            deadLetter.accept(reason(e));
            return null;
        }
    }

    /** As {@link #decodeOrDeadLetter(JobCodec, byte[], Consumer)}, for a message that is text. */
    public static @Nullable Job decodeOrDeadLetter(JobCodec codec, String body, Consumer<String> deadLetter) {
        try {
            return codec.decode(body);
        } catch (JobFormatException e) {
            deadLetter.accept(reason(e));
            return null;
        }
    }

    /** {@return the dead-letter reason for a message that failed to decode} */
    public static String reason(JobFormatException e) {
        return "not a job: " + e.getMessage();
    }

    /** {@return the start of a message's text (UTF-8, bad bytes replaced), for a log line} */
    public static String preview(byte[] body) {
        return preview(new String(body, StandardCharsets.UTF_8));
    }

    /** {@return the start of a text, for a log line} */
    public static String preview(String text) {
        return text.length() <= PREVIEW_CHARS ? text : text.substring(0, PREVIEW_CHARS) + "... ("
                + (text.length() - PREVIEW_CHARS) + " more chars)";
    }
}
