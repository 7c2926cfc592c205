package dev.ergate.bench;

import dev.ergate.testbackends.TestBackends;
import java.net.URI;

/**
 * The backends the tests talk to, as {@link TestBackends} finds them (environment, 127.0.0.1,
 * Testcontainers; ElasticMQ in this JVM for SQS); a missing one skips the test (fails it under
 * {@code ERGATE_REQUIRE_BACKENDS=true}).
 */
final class LocalBackends {

    private LocalBackends() {
    }

    static URI redis() {
        return URI.create(TestBackends.redis().url());
    }

    /** @return a {@code redis-cluster://host:port[,host:port...]} URL */
    static String redisCluster() {
        return TestBackends.redisCluster().url();
    }

    /** @return a {@code jdbc:postgresql://} URL */
    static String postgres() {
        return PostgresUrls.toJdbc(TestBackends.postgres().url());
    }

    static URI sqs() {
        return URI.create(TestBackends.sqs().url());
    }
}
