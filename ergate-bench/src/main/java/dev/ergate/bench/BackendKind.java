package dev.ergate.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The backends the harness can measure, by their command-line names. Immutable and thread-safe. */
public enum BackendKind {
    /** The testkit's in-memory queue (jobs travel as JSON) with a latest-state store. */
    MEMORY("memory"),
    /**
     * The same without the JSON round trip ({@code InMemoryJobQueue.jsonRoundTrip(false)}: Job
     * objects handed through): the engine's own ceiling.
     */
    MEMORY_OBJECTS("memory-objects"),
    /** Redis, through {@code ergate-queue-redis}; baseline with plain Jedis. */
    REDIS("redis"),
    /** PostgreSQL, through {@code ergate-store-jdbc}; baseline with plain JDBC. */
    POSTGRES("postgres"),
    /** SQS (ElasticMQ in-process unless an endpoint is given), through {@code ergate-queue-sqs}; baseline with SqsClient. */
    SQS("sqs");

    private final String cliName;

    BackendKind(String cliName) {
        this.cliName = cliName;
    }

    /** {@return the name on the command line} */
    public String cliName() {
        return cliName;
    }

    /**
     * @param name a command-line name, any case ({@code postgresql} is taken for {@code postgres})
     * @return the backend, or empty when none has that name
     */
    public static Optional<BackendKind> byName(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        if (wanted.equals("postgresql") || wanted.equals("pg")) {
            return Optional.of(POSTGRES);
        }
        return Arrays.stream(values()).filter(kind -> kind.cliName.equals(wanted)).findFirst();
    }

    /** {@return the command-line names, as "a|b|c"} */
    public static String names() {
        return Arrays.stream(values()).map(BackendKind::cliName).collect(Collectors.joining("|"));
    }
}
