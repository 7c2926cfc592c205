package dev.ergate.jdbc;

import dev.ergate.internal.UriRedaction;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL address as JDBC wants it: accepts {@code jdbc:postgresql://host:port/db?...} as
 * it is, and turns a libpq-style URI ({@code postgres://user:password@host:port/db?...} or
 * {@code postgresql://...}) into a JDBC URL plus user and password.
 *
 * @param jdbcUrl the JDBC URL, without user or password when they came from a URI's user info
 * @param user the user from the URI's user info, or {@code null}
 * @param password the password from the URI's user info, or {@code null}
 */
record PostgresUrl(String jdbcUrl, @Nullable String user, @Nullable String password) {

    static PostgresUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("PostgreSQL URL must not be blank");
        }
        String trimmed = url.trim();
        if (trimmed.startsWith("jdbc:postgresql:")) {
            return new PostgresUrl(trimmed, null, null);
        }
        if (!trimmed.startsWith("postgres://") && !trimmed.startsWith("postgresql://")) {
            throw new IllegalArgumentException("PostgreSQL URL '" + redact(trimmed) + "' must start with "
                    + "jdbc:postgresql://, postgres:// or postgresql://");
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("PostgreSQL URL '" + redact(trimmed) + "' is not a valid URI: "
                    + e.getReason(), e);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("PostgreSQL URL '" + redact(trimmed) + "' names no host");
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
        if (uri.getPort() > 0) {
            jdbc.append(':').append(uri.getPort());
        }
        String path = uri.getRawPath();
        jdbc.append(path == null || path.isEmpty() ? "/" : path);
        if (uri.getRawQuery() != null) {
            jdbc.append('?').append(uri.getRawQuery());
        }
        String user = null;
        String password = null;
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        return new PostgresUrl(jdbc.toString(), user, password);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /** {@return the URL with any password replaced by {@code ***}, for messages} */
    static String redact(String url) {
        return UriRedaction.redact(url);
    }

    @Override
    public String toString() {
        return "PostgresUrl[" + redact(jdbcUrl) + ", user=" + user + "]";
    }
}
