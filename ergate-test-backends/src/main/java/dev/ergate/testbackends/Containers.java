package dev.ergate.testbackends;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Testcontainers step: one container per backend and test JVM, removed when the JVM exits
 * (by Testcontainers' reaper).
 */
final class Containers {

    static final String REDIS_IMAGE = "redis:7-alpine";
    static final String POSTGRES_IMAGE = "postgres:15-alpine";
    static final String SQS_IMAGE = "softwaremill/elasticmq-native:1.6.11";

    private Containers() {
    }

    /** {@return true when a Docker engine answers (about 0.4 s when there is none)} */
    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static String redis() {
        GenericContainer<?> redis = new GenericContainer<>(DockerImageName.parse(REDIS_IMAGE)).withExposedPorts(6379);
        redis.start();
        return "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
    }

    static String postgres() {
        PostgreSQLContainer postgres = new PostgreSQLContainer(DockerImageName.parse(POSTGRES_IMAGE))
                .withDatabaseName("test");
        postgres.start();
        String url = postgres.getJdbcUrl();
        return url + (url.contains("?") ? "&" : "?") + "user=" + postgres.getUsername() + "&password="
                + postgres.getPassword();
    }

    static String sqs() {
        GenericContainer<?> sqs = new GenericContainer<>(DockerImageName.parse(SQS_IMAGE)).withExposedPorts(9324);
        sqs.start();
        return "http://" + sqs.getHost() + ":" + sqs.getMappedPort(9324);
    }
}
