package dev.ergate.bench;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Where the backends are, shared by the harness and the peer command (a picocli mixin): each
 * option, else its environment variable, else the command's default.
 */
final class BackendUrls {

    @Option(names = "--redis-url", paramLabel = "URL",
            description = "(or env " + HarnessOptions.REDIS_URL_ENV + "; default " + HarnessOptions.DEFAULT_REDIS_URL + ")")
    private @Nullable String redisUrl;

    @Option(names = "--postgres-url", paramLabel = "URL", description = "(or env " + HarnessOptions.POSTGRES_URL_ENV
            + "; default " + HarnessOptions.DEFAULT_POSTGRES_URL + ")")
    private @Nullable String postgresUrl;

    @Option(names = "--sqs-endpoint", paramLabel = "URL",
            description = "(or env " + HarnessOptions.SQS_ENDPOINT_ENV + "; default: ElasticMQ started in this JVM)")
    private @Nullable String sqsEndpoint;

    /** {@return the Redis URL given, or null to use the default} */
    @Nullable String redis(Map<String, String> env) {
        return orEnv(redisUrl, env, HarnessOptions.REDIS_URL_ENV);
    }

    /** {@return the PostgreSQL URL given, or null to use the default} */
    @Nullable String postgres(Map<String, String> env) {
        return orEnv(postgresUrl, env, HarnessOptions.POSTGRES_URL_ENV);
    }

    /** {@return the SQS endpoint given, or null for ElasticMQ in this JVM} */
    @Nullable String sqs(Map<String, String> env) {
        return orEnv(sqsEndpoint, env, HarnessOptions.SQS_ENDPOINT_ENV);
    }

    private static @Nullable String orEnv(@Nullable String given, Map<String, String> env, String variable) {
        if (given != null) {
            return given;
        }
        String value = env.get(variable);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
