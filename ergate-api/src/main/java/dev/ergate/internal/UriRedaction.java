package dev.ergate.internal;

import java.util.regex.Pattern;

/**
 * Masks the secrets of a connection URI or URL for messages and logs: the whole user info
 * (everything between {@code ://} and the last {@code @}, since a password may hold {@code /},
 * {@code ?}, {@code #} or {@code @}) and the value of any password-like query parameter.
 */
public final class UriRedaction {

    /** What replaces a secret. */
    public static final String MASK = "***";

    private static final Pattern NAMED = Pattern.compile(
            "(?i)((?:password|passwd|pwd|secret|token|aws_secret_access_key|secretKey|sessionToken)=)([^&\\s]*)");

    private UriRedaction() {
    }

    /**
     * @param uri a URI or URL of any form ({@code scheme://user:password@host/...}, {@code jdbc:...})
     * @return it with the user info and password-like parameters masked; over-masks rather than leaks
     */
    public static String redact(String uri) {
        String out = uri;
        int scheme = out.indexOf("://");
        int at = out.lastIndexOf('@');
        if (scheme >= 0 && at > scheme) {
            out = out.substring(0, scheme + 3) + MASK + out.substring(at);
        }
        return NAMED.matcher(out).replaceAll("$1" + MASK);
    }
}
