package dev.ergate.bench;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Turns the PostgreSQL locations the harness accepts into JDBC URLs. Stateless and thread-safe. */
final class PostgresUrls {

    private PostgresUrls() {
    }

    /**
     * @param url {@code jdbc:postgresql://...} (kept as it is) or {@code postgres[ql]://[user[:password]@]host[:port]/db[?params]}
     * @return the JDBC URL; user {@code postgres} when the URL names none
     * @throws IllegalArgumentException naming the URL when it is neither
     */
    static String toJdbc(String url) {
        String trimmed = url.trim();
        if (trimmed.startsWith("jdbc:postgresql:")) {
            return trimmed;
        }
        if (!trimmed.startsWith("postgres://") && !trimmed.startsWith("postgresql://")) {
            throw new IllegalArgumentException("'" + url + "' is not a PostgreSQL URL: use jdbc:postgresql://host:port/db"
                    + " or postgres://user@host:port/db");
        }
        URI uri = URI.create(trimmed);
        String host = uri.getHost() == null ? "127.0.0.1" : uri.getHost();
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        String user = "postgres";
        String password = null;
        String info = uri.getRawUserInfo();
        if (info != null && !info.isEmpty()) {
            int colon = info.indexOf(':');
            user = URLDecoder.decode(colon < 0 ? info : info.substring(0, colon), StandardCharsets.UTF_8);
            password = colon < 0 ? null : URLDecoder.decode(info.substring(colon + 1), StandardCharsets.UTF_8);
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(host).append(':').append(port).append('/')
                .append(db).append("?user=").append(URLEncoder.encode(user, StandardCharsets.UTF_8));
        if (password != null) {
            jdbc.append("&password=").append(URLEncoder.encode(password, StandardCharsets.UTF_8));
        }
        if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
            jdbc.append('&').append(uri.getRawQuery());
        }
        return jdbc.toString();
    }
}
