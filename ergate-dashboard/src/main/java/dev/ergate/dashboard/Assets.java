package dev.ergate.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The pages and static files, read once from the jar. Every page is the same HTML shell: the
 * script builds the page its {@code data-page} names. Values put into the shell are escaped.
 * Thread-safe.
 */
final class Assets {

    /** A response body and its type. */
    record Asset(String contentType, byte[] bytes) {
    }

    private static final Map<String, String> PAGES = Map.of(
            "/", "overview",
            "/jobs", "jobs",
            "/job", "job",
            "/dead-letters", "dead-letters");

    private final String shell;
    private final Map<String, Asset> files;
    private final DashboardOptions options;

    Assets(DashboardOptions options) {
        this.options = options;
        this.shell = new String(read("page.html"), StandardCharsets.UTF_8);
        this.files = Map.of(
                "/static/app.js", new Asset("text/javascript; charset=utf-8", read("app.js")),
                "/static/app.css", new Asset("text/css; charset=utf-8", read("app.css")),
                "/favicon.ico", new Asset("image/svg+xml", read("favicon.svg")));
    }

    @Nullable Asset find(String path, String csrfToken) {
        String page = PAGES.get(path);
        if (page != null) {
            String html = shell
                    .replace("{{title}}", escape(options.title()))
                    .replace("{{page}}", page)
                    .replace("{{csrf}}", escape(csrfToken))
                    .replace("{{readOnly}}", Boolean.toString(options.readOnly()));
            return new Asset("text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
        }
        return files.get(path);
    }

    /** {@return text safe inside HTML text and double-quoted attributes} */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static byte[] read(String name) {
        try (InputStream in = Assets.class.getResourceAsStream("static/" + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard resource missing from the jar: static/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
