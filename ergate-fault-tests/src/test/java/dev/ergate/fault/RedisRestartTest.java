package dev.ergate.fault;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Scenario 2 on Redis: a private {@code redis-server} (own port and directory, AOF on with
 * {@code appendfsync everysec}) is killed with SIGKILL mid-run and started again on its AOF.
 * The shared Redis is never touched.
 */
@DisplayName("Redis killed and restarted mid-run")
class RedisRestartTest {

    private @Nullable PrivateRedis server;

    @Test
    @DisplayName("the worker retries through the outage and finishes every job; AOF keeps them all")
    void redisRestart() throws Exception {
        PrivateRedis redis = PrivateRedis.start();
        server = redis;
        BackendSpec spec = new BackendSpec("redis", redis.uri(), "ergate-fault:restart");
        BackendRestartScenario.run("2 backend restart (SIGKILL, appendonly yes, everysec)", "Redis", spec, () -> {
            redis.kill();
            BackendRestartScenario.hold(Duration.ofSeconds(3));
            redis.startAgain();
            return System.currentTimeMillis();
        }, "Redis SIGKILL + restart");
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }
}
