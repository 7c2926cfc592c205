package dev.ergate.spring.boot;

import dev.ergate.testkit.Backends;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where the real Redis and PostgreSQL of the tests are: {@code ERGATE_REDIS_URL} / {@code
 * ERGATE_POSTGRES_URL}, else 127.0.0.1. A missing one skips the test (fails it under {@code
 * ERGATE_REQUIRE_BACKENDS=true}). Each test works under its own random key prefix or schema.
 */
final class Services {

    private Services() {
    }

    /** @return a Redis URI that answers, or the test stops */
    static String redisUri() {
        String env = System.getenv("ERGATE_REDIS_URL");
        String uri = env == null || env.isBlank() ? "redis://127.0.0.1:6379" : env.trim();
        URI parsed = URI.create(uri);
        reachable("Redis", parsed.getHost(), parsed.getPort() < 0 ? 6379 : parsed.getPort(),
                "set ERGATE_REDIS_URL or run Redis on 127.0.0.1:6379");
        return uri;
    }

    /** @return a JDBC URL (user and password as parameters) that answers, or the test stops */
    static String postgresJdbcUrl() {
        String env = System.getenv("ERGATE_POSTGRES_URL");
        String url = env == null || env.isBlank() ? "jdbc:postgresql://127.0.0.1:5432/test?user=postgres" : env.trim();
        if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
            URI parsed = URI.create(url);
            String userInfo = parsed.getUserInfo();
            String query = "";
            if (userInfo != null) {
                String[] parts = userInfo.split(":", 2);
                query = "?user=" + parts[0] + (parts.length > 1 ? "&password=" + parts[1] : "");
            }
            url = "jdbc:postgresql://" + parsed.getHost() + ":" + (parsed.getPort() < 0 ? 5432 : parsed.getPort())
                    + parsed.getPath() + query;
        }
        try (Connection connection = DriverManager.getConnection(url)) {
            connection.isValid(2);
        } catch (SQLException e) {
            Backends.missing("PostgreSQL", "set ERGATE_POSTGRES_URL or run PostgreSQL on 127.0.0.1:5432 (database test,"
                    + " user postgres)", e);
        }
        return url;
    }

    /** @return a fresh name for a key prefix or schema */
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

    private static void reachable(String what, String host, int port, String how) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
        } catch (java.io.IOException e) {
            Backends.missing(what, how, e);
        }
    }
}
