package dev.ergate.spring.boot;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.ClassUtils;

/** Explains, naming the property, why no queue or store bean could be made. */
final class MissingBackend {

    private MissingBackend() {
    }

    static RuntimeException queue(ErgateProperties properties, @Nullable ClassLoader classLoader) {
        ErgateProperties.Backend backend = properties.getBackend();
        if (backend == null) {
            return new InvalidConfigurationPropertyValueException("ergate.backend", null,
                    "set it to redis, postgres, sqs or memory, or define JobQueue and StateStore beans");
        }
        return missingAdapter("ergate.backend", backend.name().toLowerCase(java.util.Locale.ROOT), adapterOf(backend), classLoader);
    }

    static RuntimeException store(ErgateProperties properties, @Nullable ClassLoader classLoader) {
        ErgateProperties.SqsStore sqsStore = properties.getSqs().getStore();
        if (properties.getBackend() == ErgateProperties.Backend.SQS && sqsStore != null) {
            ErgateProperties.Backend storeBackend = ErgateProperties.Backend.valueOf(sqsStore.name());
            return missingAdapter("ergate.sqs.store", sqsStore.name().toLowerCase(java.util.Locale.ROOT),
                    adapterOf(storeBackend), classLoader);
        }
        return queue(properties, classLoader);
    }

    private static RuntimeException missingAdapter(String property, String value, Adapter adapter,
            @Nullable ClassLoader classLoader) {
        if (!ClassUtils.isPresent(adapter.probe, classLoader)) {
            return new InvalidConfigurationPropertyValueException(property, value,
                    "it needs " + adapter.artifact + " on the class path: add that dependency");
        }
        return new InvalidConfigurationPropertyValueException(property, value,
                "its beans were not made: is the auto-configuration excluded?");
    }

    private static Adapter adapterOf(ErgateProperties.Backend backend) {
        return switch (backend) {
            case REDIS -> new Adapter("dev.ergate:ergate-queue-redis", "dev.ergate.redis.RedisBackend");
            case POSTGRES -> new Adapter("dev.ergate:ergate-store-jdbc", "dev.ergate.jdbc.JdbcBackend");
            case SQS -> new Adapter("dev.ergate:ergate-queue-sqs", "dev.ergate.sqs.SqsBackend");
            case MEMORY -> new Adapter("dev.ergate:ergate-testkit", "dev.ergate.testkit.InMemoryJobQueue");
        };
    }

    private record Adapter(String artifact, String probe) {
    }
}
