package dev.ergate.fault;

import static org.awaitility.Awaitility.await;

import dev.ergate.testkit.Backends;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.Jedis;

/**
 * A {@code redis-server} of a test's own (free port, temp directory, AOF on with
 * {@code appendfsync everysec}), which the test may kill and start again; the shared Redis is
 * never touched. Not thread-safe.
 */
final class PrivateRedis implements AutoCloseable {

    private final Path dir;
    private final int port;
    private @Nullable Process server;

    private PrivateRedis(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts a new server; skips the test (or fails under ERGATE_REQUIRE_BACKENDS) without redis-server. */
    static PrivateRedis start() throws Exception {
        PrivateRedis redis = new PrivateRedis(Files.createTempDirectory("ergate-fault-redis"), Commands.freePort());
        redis.startAgain();
        return redis;
    }

    /** {@return its redis:// URI} */
    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Kills the server with SIGKILL (its AOF keeps what it acknowledged). */
    void kill() throws InterruptedException {
        Process running = server;
        if (running != null) {
            running.destroyForcibly();
            running.waitFor(30, TimeUnit.SECONDS);
            server = null;
        }
    }

    /** Starts the server (again, on its AOF) and waits until it answers. */
    void startAgain() throws Exception {
        try {
            server = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "yes", "--appendfsync", "everysec", "--dir", dir.toString())
                    .redirectErrorStream(true).redirectOutput(new File(dir.toFile(), "redis.log")).start();
        } catch (IOException e) {
            Backends.missing("redis-server", "put redis-server on the PATH (apt-get install redis-server)", e);
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> {
                    try (Jedis ping = new Jedis("127.0.0.1", port)) {
                        return "PONG".equals(ping.ping());
                    }
                });
    }

    @Override
    public void close() throws Exception {
        kill();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
