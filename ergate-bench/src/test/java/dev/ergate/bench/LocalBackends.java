package dev.ergate.bench;

import dev.ergate.testkit.Backends;
import java.net.URI;
import java.sql.Connection;
import java.util.Map;
import redis.clients.jedis.Jedis;

/**
 * Finds the backends the tests talk to: the location in the environment, else the local default;
 * SQS is ElasticMQ in this JVM unless {@value HarnessOptions#SQS_ENDPOINT_ENV} names one. A
 * backend that can't be reached skips the test (fails it under {@code ERGATE_REQUIRE_BACKENDS=true}).
 */
final class LocalBackends {

    private static final HarnessOptions FROM_ENV = HarnessOptions.parse(new String[0], System.getenv());

    private LocalBackends() {
    }

    /** @return the environment the harness should see */
    static Map<String, String> env() {
        return System.getenv();
    }

    static URI redis() {
        URI uri = URI.create(FROM_ENV.redisUrl());
        try (Jedis jedis = new Jedis(uri)) {
            jedis.ping();
        } catch (RuntimeException e) {
            Backends.missing("Redis", "set " + HarnessOptions.REDIS_URL_ENV + " or run Redis on 127.0.0.1:6379", e);
        }
        return uri;
    }

    static String postgres() {
        String url = PostgresUrls.toJdbc(FROM_ENV.postgresUrl());
        try (Connection connection = PostgresRawBaseline.connect(url)) {
            connection.createStatement().execute("SELECT 1");
        } catch (Exception e) {
            Backends.missing("PostgreSQL", "set " + HarnessOptions.POSTGRES_URL_ENV
                    + " or run PostgreSQL on 127.0.0.1:5432 with a database 'test'", e);
        }
        return url;
    }

    static URI sqs() {
        String configured = FROM_ENV.sqsEndpoint();
        try {
            return configured != null ? URI.create(configured) : ElasticMq.endpoint();
        } catch (RuntimeException | LinkageError e) {
            Backends.missing("SQS", "set " + HarnessOptions.SQS_ENDPOINT_ENV
                    + " or keep ElasticMQ on the class path", e);
            throw e;
        }
    }
}
