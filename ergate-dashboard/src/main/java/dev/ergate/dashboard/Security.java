package dev.ergate.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Who may see the dashboard and which requests may change anything: the optional token or basic
 * auth, the per-instance CSRF token every POST must carry, and a same-origin check. Secrets are
 * compared in constant time and never logged. Thread-safe.
 */
final class Security {

    static final String CSRF_HEADER = "X-Ergate-Csrf";
    static final String TOKEN_COOKIE = "ergate_dashboard_token";

    private final DashboardOptions options;
    private final String csrfToken;

    Security(DashboardOptions options) {
        this.options = options;
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        this.csrfToken = HexFormat.of().formatHex(random);
    }

    /** {@return the token the pages send back with every POST} */
    String csrfToken() {
        return csrfToken;
    }

    /** {@return whether the request presents the configured credentials (always, when none are)} */
    boolean authenticated(HttpExchange exchange) {
        if (!options.authenticated()) {
            return true;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (options.token() != null) {
            if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                    && same(authorization.substring(7).trim(), options.token())) {
                return true;
            }
            String cookie = cookie(exchange, TOKEN_COOKIE);
            if (cookie != null && same(cookie, options.token())) {
                return true;
            }
        }
        if (options.basicUser() != null && authorization != null
                && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            int colon = decoded.indexOf(':');
            return colon > 0
                    & same(decoded.substring(0, colon), options.basicUser())
                    & same(decoded.substring(colon + 1), options.basicPassword());
        }
        return false;
    }

    /** {@return whether {@code candidate} is the configured token (for {@code /?token=})} */
    boolean isToken(@Nullable String candidate) {
        return candidate != null && options.token() != null && same(candidate, options.token());
    }

    /** {@return whether a request that changes something may go ahead: CSRF header and origin} */
    boolean mayChange(HttpExchange exchange) {
        String presented = exchange.getRequestHeaders().getFirst(CSRF_HEADER);
        if (presented == null || !same(presented, csrfToken)) {
            return false;
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin == null || origin.equals("null")) {
            return origin == null;
        }
        String host = exchange.getRequestHeaders().getFirst("Host");
        try {
            URI parsed = URI.create(origin);
            String originHost = parsed.getPort() < 0 ? parsed.getHost() : parsed.getHost() + ":" + parsed.getPort();
            return host != null && host.equalsIgnoreCase(originHost);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@return the realm challenge to send with a 401, or {@code null} when basic auth is off} */
    @Nullable String challenge() {
        return options.basicUser() == null ? null : "Basic realm=\"Ergate dashboard\", charset=\"UTF-8\"";
    }

    static @Nullable String cookie(HttpExchange exchange, String name) {
        List<String> headers = exchange.getRequestHeaders().get("Cookie");
        if (headers == null) {
            return null;
        }
        for (String header : headers) {
            for (String part : header.split(";")) {
                String trimmed = part.trim();
                if (trimmed.startsWith(name + "=")) {
                    return trimmed.substring(name.length() + 1);
                }
            }
        }
        return null;
    }

    private static boolean same(String a, @Nullable String b) {
        return b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
