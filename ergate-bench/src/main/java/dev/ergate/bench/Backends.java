package dev.ergate.bench;

import org.jspecify.annotations.Nullable;

/** Creates the backend the options name. Stateless and thread-safe. */
final class Backends {

    private Backends() {
    }

    /**
     * @param options the run's options (backend kind and location)
     * @return the backend, connected where it has a server
     * @throws Exception if the backend can't be set up
     */
    static BenchBackend create(HarnessOptions options) throws Exception {
        return create(options.backend(), options.redisUrl(), options.postgresUrl(), options.sqsEndpoint());
    }

    /**
     * @param kind which backend
     * @param redisUrl where Redis is
     * @param postgresUrl where PostgreSQL is
     * @param sqsEndpoint where SQS is, or null for ElasticMQ in this JVM
     * @return the backend, connected where it has a server
     * @throws Exception if the backend can't be set up
     */
    static BenchBackend create(BackendKind kind, String redisUrl, String postgresUrl, @Nullable String sqsEndpoint)
            throws Exception {
        return switch (kind) {
            case MEMORY -> new MemoryBackend(true);
            case MEMORY_OBJECTS -> new MemoryBackend(false);
            case REDIS -> new RedisBench(redisUrl);
            case POSTGRES -> new PostgresBench(postgresUrl);
            case SQS -> new SqsBench(sqsEndpoint);
        };
    }
}
