package dev.ergate.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * Stores text holding U+0000, which PostgreSQL refuses in {@code text} and {@code jsonb}, so that
 * it reads back as it was written. Values without it are stored as they are (and stay queryable
 * with SQL); only the rare value with it takes an escaped form:
 * <ul>
 *   <li>a JSON value becomes the object {@code {"$ergate:escaped": "<its JSON text>"}}: the JSON
 *       text writes U+0000 as the six characters {@code \u0000}, and as a string inside another
 *       document those are plain characters to {@code jsonb}. A stored value that is itself an
 *       object of that one field is wrapped too, so every stored value reads back faithfully;</li>
 *   <li>a text (the exception trace) becomes {@link #TEXT_PREFIX} followed by the text with
 *       {@code \} written {@code \\} and U+0000 written {@code \0}; a text that starts with the
 *       prefix is escaped too.</li>
 * </ul>
 * Stateless and thread-safe.
 */
final class NulEscapes {

    /** The one field of an escaped JSON value. */
    static final String JSON_FIELD = "$ergate:escaped";

    /** What starts an escaped text (U+E000 is a private-use character: no ordinary text starts so). */
    static final String TEXT_PREFIX = "\uE000ergate-escaped:";

    private static final String JSON_WRAPPER_START = "{\"" + JSON_FIELD + "\":";

    private NulEscapes() {
    }

    /**
     * @param json a JSON value's text, as Jackson writes it (U+0000 in a string is {@code \u0000})
     * @return what to store
     */
    static String escapeJson(String json) {
        if (!json.contains("\\u0000") && !json.contains(JSON_FIELD)) {
            return json;
        }
        StringBuilder out = new StringBuilder(json.length() + 32).append(JSON_WRAPPER_START).append('"');
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c); // the JSON text holds no control character: Jackson escapes them all
        }
        return out.append("\"}").toString();
    }

    /**
     * @param stored a JSON value as read back from PostgreSQL
     * @return the JSON text of the original value when {@code stored} is an escaped one, else
     *     {@code null} ({@code stored} is the value)
     */
    static @Nullable String escapedJson(JsonNode stored) {
        if (stored.isObject() && stored.size() == 1) {
            JsonNode text = stored.get(JSON_FIELD);
            if (text != null && text.isTextual()) {
                return text.textValue();
            }
        }
        return null;
    }

    /** {@return the text to store in a {@code text} column, or {@code null} for {@code null}} */
    static @Nullable String escapeText(@Nullable String text) {
        if (text == null || (text.indexOf('\0') < 0 && !text.startsWith(TEXT_PREFIX))) {
            return text;
        }
        StringBuilder out = new StringBuilder(TEXT_PREFIX.length() + text.length() + 8).append(TEXT_PREFIX);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c == '\0') {
                out.append("\\0");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** {@return the text {@link #escapeText} was given, from what it stored} */
    static @Nullable String unescapeText(@Nullable String stored) {
        if (stored == null || !stored.startsWith(TEXT_PREFIX)) {
            return stored;
        }
        StringBuilder out = new StringBuilder(stored.length());
        for (int i = TEXT_PREFIX.length(); i < stored.length(); i++) {
            char c = stored.charAt(i);
            if (c == '\\' && i + 1 < stored.length()) {
                char next = stored.charAt(++i);
                out.append(next == '0' ? '\0' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
