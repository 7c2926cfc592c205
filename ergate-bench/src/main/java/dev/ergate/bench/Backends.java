package dev.ergate.bench;

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
        return switch (options.backend()) {
            case MEMORY -> new MemoryBackend(true);
            case MEMORY_OBJECTS -> new MemoryBackend(false);
            case REDIS -> new RedisBench(options.redisUrl());
            case POSTGRES -> new PostgresBench(options.postgresUrl());
            case SQS -> new SqsBench(options.sqsEndpoint());
        };
    }
}
