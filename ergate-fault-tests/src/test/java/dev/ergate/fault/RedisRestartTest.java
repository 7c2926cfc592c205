package dev.ergate.fault;

import static org.awaitility.Awaitility.await;

import dev.ergate.testkit.Backends;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Scenario 2 on Redis: a private {@code redis-server} (own port and directory, AOF on with
 * {@code appendfsync everysec}) is killed with SIGKILL mid-run and started again on its AOF.
 * The shared Redis is never touched.
 */
@DisplayName("Redis killed and restarted mid-run")
class RedisRestartTest {

    private @Nullable Process server;
    private @Nullable Path dir;
    private int port;

    @Test
    @DisplayName("the worker retries through the outage and finishes every job; AOF keeps them all")
    void redisRestart() throws Exception {
        dir = Files.createTempDirectory("ergate-fault-redis");
        port = Commands.freePort();
        start();
        BackendSpec spec = new BackendSpec("redis", "redis://127.0.0.1:" + port, "ergate-fault:restart");
        BackendRestartScenario.run("2 backend restart (SIGKILL, appendonly yes, everysec)", "Redis", spec, () -> {
            Process running = server;
            running.destroyForcibly();
            running.waitFor(30, TimeUnit.SECONDS);
            BackendRestartScenario.hold(Duration.ofSeconds(3));
            start();
            return System.currentTimeMillis();
        }, "Redis SIGKILL + restart");
    }

    private void start() throws Exception {
        try {
            server = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "yes", "--appendfsync", "everysec", "--dir", dir.toString())
                    .redirectErrorStream(true).redirectOutput(new File(dir.toFile(), "redis.log")).start();
        } catch (java.io.IOException e) {
            Backends.missing("redis-server", "put redis-server on the PATH (apt-get install redis-server)", e);
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> {
                    try (Jedis ping = new Jedis("127.0.0.1", port)) {
                        return "PONG".equals(ping.ping());
                    }
                });
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
