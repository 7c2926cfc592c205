package dev.ergate.spring.boot;

import dev.ergate.spi.JobQueue;
import org.jspecify.annotations.Nullable;

/** The queue's name as metrics and the dashboard show it, from the properties that named it. */
final class QueueNames {

    private QueueNames() {
    }

    static String of(ErgateProperties properties, JobQueue queue) {
        ErgateProperties.Backend backend = properties.getBackend();
        if (backend == null) {
            return "default";
        }
        return switch (backend) {
            case REDIS -> properties.getRedis().getQueue();
            case POSTGRES -> properties.getPostgres().getQueue();
            case SQS -> sqsName(properties.getSqs().getUri());
            case MEMORY -> "memory";
        };
    }

    /** The last path segment of a queue URL, or the name of {@code sqs://NAME?...}. */
    private static String sqsName(@Nullable String uri) {
        if (uri == null) {
            return "sqs";
        }
        String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
