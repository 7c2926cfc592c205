package dev.ergate.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each request to its page, asset or endpoint after the security checks: authentication
 * on everything, and on POSTs the CSRF token, the origin and the read-only switch. Thread-safe.
 */
final class Router implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    private static final int MAX_BODY = 64 * 1024;
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private final Api api;
    private final Assets assets;
    private final Security security;
    private final DashboardOptions options;

    Router(Api api, Assets assets, Security security, DashboardOptions options) {
        this.api = api;
        this.assets = assets;
        this.security = security;
        this.options = options;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
            exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            try {
                route(exchange);
            } catch (Api.BadRequest e) {
                json(exchange, 400, error(e.getMessage()));
            } catch (UnsupportedOperationException e) {
                json(exchange, 501, error("this backend can't do that: " + e.getMessage()));
            } catch (RuntimeException e) {
                LOG.warn("dashboard request {} {} failed", exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(), e);
                json(exchange, 500, error("the backend failed: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage())));
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        byte[] raw = readBody(exchange);
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        if (method.equals("GET") && security.isToken(query.get("token"))) {
            // a browser logs in once with /?token=...; the cookie keeps it, the URL drops it
            exchange.getResponseHeaders().add("Set-Cookie", Security.TOKEN_COOKIE + "=" + query.get("token")
                    + "; HttpOnly; SameSite=Strict; Path=/");
            exchange.getResponseHeaders().set("Location", path);
            send(exchange, 303, "text/plain", new byte[0]);
            return;
        }
        if (!security.authenticated(exchange)) {
            String challenge = security.challenge();
            if (challenge != null) {
                exchange.getResponseHeaders().set("WWW-Authenticate", challenge);
            }
            send(exchange, 401, "text/plain; charset=utf-8", ("This dashboard needs "
                    + (options.token() != null ? "its token (open /?token=TOKEN or send Authorization: Bearer TOKEN)"
                            : "a user name and password") + ".\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (method.equals("GET") || method.equals("HEAD")) {
            get(exchange, path, query);
        } else if (method.equals("POST")) {
            post(exchange, path, raw);
        } else {
            exchange.getResponseHeaders().set("Allow", "GET, POST");
            json(exchange, 405, error("method " + method + " is not allowed"));
        }
    }

    private void get(HttpExchange exchange, String path, Map<String, String> query) throws IOException {
        switch (path) {
            case "/api/session" -> json(exchange, 200, api.session());
            case "/api/overview" -> json(exchange, 200, api.overview());
            case "/api/jobs" -> json(exchange, 200, api.jobs(query));
            case "/api/job" -> json(exchange, 200, api.job(query));
            case "/api/dead-letters" -> json(exchange, 200, api.deadLetters(query));
            default -> {
                Assets.Asset asset = assets.find(path, security.csrfToken());
                if (asset == null) {
                    send(exchange, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
                } else {
                    send(exchange, 200, asset.contentType(), asset.bytes());
                }
            }
        }
    }

    private void post(HttpExchange exchange, String path, byte[] raw) throws IOException {
        if (!security.mayChange(exchange)) {
            json(exchange, 403, error("refused: the request lacks this page's CSRF token or comes from another site"));
            return;
        }
        if (options.readOnly()) {
            json(exchange, 403, error("this dashboard is read-only"));
            return;
        }
        JsonNode body = parse(exchange, raw);
        ObjectNode result;
        if (path.startsWith("/api/job/")) {
            result = api.jobAction(path.substring("/api/job/".length()), body);
        } else if (path.startsWith("/api/dead-letters/")) {
            result = api.deadLetterAction(path.substring("/api/dead-letters/".length()), body);
        } else {
            json(exchange, 404, error("no action at " + path));
            return;
        }
        LOG.info("dashboard action {}: {}", path, result.path("message").asText());
        json(exchange, 200, result);
    }

    /** Reads the whole body first: one left unread would break the client's next request. */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return in.readNBytes(MAX_BODY + 1);
        }
    }

    private static JsonNode parse(HttpExchange exchange, byte[] bytes) {
        if (bytes.length > MAX_BODY) {
            throw new Api.BadRequest("the request body is over " + MAX_BODY + " bytes");
        }
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new Api.BadRequest("actions take a JSON body (Content-Type: application/json)");
        }
        if (bytes.length == 0) {
            return Api.JSON.createObjectNode();
        }
        JsonNode node;
        try {
            node = Api.JSON.readTree(bytes);
        } catch (IOException e) {
            throw new Api.BadRequest("the request body is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new Api.BadRequest("the request body must be a JSON object");
        }
        return node;
    }

    private static ObjectNode error(@Nullable String message) {
        return Api.JSON.createObjectNode().put("error", message == null ? "error" : message);
    }

    private static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
        send(exchange, status, "application/json; charset=utf-8", Api.JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head || bytes.length == 0 ? -1 : bytes.length);
        if (!head && bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    static Map<String, String> query(@Nullable String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.putIfAbsent(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new Api.BadRequest("the query string is not well formed");
            }
        }
        return out;
    }
}
