package dev.ergate.cli;

import dev.ergate.internal.UriRedaction;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secrets a run was given (passwords in connection URIs, the dashboard's token and basic-auth
 * password) and the scrubbing that keeps them out of every line the command prints, whatever
 * the line comes from: our messages, a driver's exception, picocli's usage errors. Immutable.
 */
final class Secrets {

    /**
     * {@code scheme://user:password@}: the password part, up to the last {@code @} of the word (a
     * password may hold {@code /}, {@code ?}, {@code #} or {@code @}).
     */
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)([^:/@\\s\\[\\]]*):(\\S+)@");
    /** {@code password=...}, {@code secret=...}, {@code token=...} in a query string or option. */
    private static final Pattern NAMED = Pattern.compile(
            "(?i)((?:password|passwd|pwd|secret|token|aws_secret_access_key|secretKey|sessionToken)=)([^&\\s,;]+)");
    private static final String MASK = "****";

    private final List<String> values;

    private Secrets(List<String> values) {
        this.values = values;
    }

    /**
     * @param args the command line
     * @param environment the process environment (the dashboard token may come from there)
     * @return the secrets found in them
     */
    static Secrets find(String[] args, Map<String, String> environment) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            collect(arg, found);
            String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1)
                    : i + 1 < args.length ? args[i + 1] : null;
            if (value != null && (option.equals("--token") || option.equals("--basic-auth"))) {
                found.add(option.equals("--basic-auth") && value.contains(":")
                        ? value.substring(value.indexOf(':') + 1) : value);
            }
        }
        String token = environment.get(DashboardCommand.TOKEN_ENV);
        if (token != null && !token.isBlank()) {
            found.add(token.trim());
        }
        for (String variable : List.of("ERGATE_REDIS_URL", "ERGATE_POSTGRES_URL", "ERGATE_STORE_URL")) {
            String value = environment.get(variable);
            if (value != null) {
                collect(value, found);
            }
        }
        found.removeIf(s -> s.length() < 3); // too short to scrub without mangling ordinary text
        found.sort(Comparator.comparingInt(String::length).reversed());
        return new Secrets(List.copyOf(found));
    }

    private static void collect(String text, List<String> found) {
        Matcher userInfo = USER_INFO.matcher(text);
        while (userInfo.find()) {
            found.add(userInfo.group(2));
            found.add(URLDecoder.decode(userInfo.group(2), StandardCharsets.UTF_8));
        }
        Matcher named = NAMED.matcher(text);
        while (named.find()) {
            found.add(named.group(2));
            found.add(URLDecoder.decode(named.group(2), StandardCharsets.UTF_8));
        }
    }

    /** {@return the text with every known secret, and anything shaped like a password, masked} */
    String scrub(String text) {
        String out = text;
        for (String secret : values) {
            out = out.replace(secret, MASK);
        }
        out = USER_INFO.matcher(out).replaceAll("$1:" + MASK + "@");
        return NAMED.matcher(out).replaceAll("$1" + MASK);
    }

    /** {@return a URI or URL for a message, its password masked} */
    static String redact(String uri) {
        return UriRedaction.redact(uri);
    }
}
