package dev.ergate.testbackends;

/**
 * A backend found for the tests.
 *
 * @param url its address: {@code redis://host:port}, {@code jdbc:postgresql://host:port/db?user=..}
 *     or an SQS endpoint {@code http://host:port}
 * @param source where it was found
 */
public record FoundBackend(String url, Source source) {

    /** Where a backend was found, in the order they are tried. */
    public enum Source {
        /** the backend's environment variable */
        ENVIRONMENT,
        /** the local default: a server on 127.0.0.1, or ElasticMQ in this JVM for SQS */
        LOCAL,
        /** a container that Testcontainers started */
        CONTAINER
    }
}
