package dev.ergate.examples.spring;

import dev.ergate.testkit.Backends;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The real Redis and PostgreSQL of the sample's tests ({@code ERGATE_REDIS_URL}, {@code
 * ERGATE_POSTGRES_URL} as JDBC URL, else 127.0.0.1), and the HTTP calls a client makes.
 */
final class SampleServices {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SampleServices() {
    }

    static String redisUri() {
        String env = System.getenv("ERGATE_REDIS_URL");
        String uri = env == null || env.isBlank() ? "redis://127.0.0.1:6379" : env.trim();
        URI parsed = URI.create(uri);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(parsed.getHost(), parsed.getPort() < 0 ? 6379 : parsed.getPort()), 2000);
        } catch (java.io.IOException e) {
            Backends.missing("Redis", "set ERGATE_REDIS_URL or run Redis on 127.0.0.1:6379", e);
        }
        return uri;
    }

    static String postgresJdbcUrl() {
        String env = System.getenv("ERGATE_POSTGRES_URL");
        String url = env == null || env.isBlank() || !env.startsWith("jdbc:")
                ? "jdbc:postgresql://127.0.0.1:5432/test?user=postgres" : env.trim();
        try (Connection connection = DriverManager.getConnection(url)) {
            connection.isValid(2);
        } catch (SQLException e) {
            Backends.missing("PostgreSQL", "set ERGATE_POSTGRES_URL (a jdbc: URL) or run PostgreSQL on 127.0.0.1:5432", e);
        }
        return url;
    }

    static String randomName(String prefix) {
        return prefix + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
    }

    /** Deletes every key under a namespace the test used (keys are {@code {namespace}:...}). */
    static void deleteRedisNamespace(String uri, String namespace) {
        try (redis.clients.jedis.RedisClient client = redis.clients.jedis.RedisClient.create(URI.create(uri))) {
            redis.clients.jedis.params.ScanParams match =
                    new redis.clients.jedis.params.ScanParams().match("{" + namespace + "}:*").count(1000);
            String cursor = redis.clients.jedis.params.ScanParams.SCAN_POINTER_START;
            do {
                redis.clients.jedis.resps.ScanResult<String> page = client.scan(cursor, match);
                if (!page.getResult().isEmpty()) {
                    client.del(page.getResult().toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(redis.clients.jedis.params.ScanParams.SCAN_POINTER_START));
        }
    }

    static void dropSchema(String jdbcUrl, String schema) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
                Statement statement = connection.createStatement()) {
            statement.execute("drop schema if exists \"" + schema + "\" cascade");
        }
    }

    static HttpResponse<String> post(String url, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
