package dev.ergate.cli;

import dev.ergate.jdbc.JdbcBackend;
import dev.ergate.jdbc.JdbcOptions;
import dev.ergate.redis.RedisBackend;
import dev.ergate.redis.RedisJobQueue;
import dev.ergate.redis.RedisJobStore;
import dev.ergate.redis.RedisOptions;
import dev.ergate.redis.RedisQueueOptions;
import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.QueueStats;
import dev.ergate.sqs.SqsJobQueue;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The backend a command works on: its admin capability, its queue and store, and what to say
 * about it (never with a password). Closing it closes every client it opened. Not thread-safe
 * to open; the parts it hands out are.
 */
final class Connection implements AutoCloseable {

    /** What the options add to a URI: names that differ from the adapters' defaults. */
    record Settings(@Nullable String namespace, @Nullable String queue, @Nullable String schema,
            @Nullable String tablePrefix) {
    }

    private final JobAdmin admin;
    private final JobQueue queue;
    private final JobStore store;
    private final String description;
    private final List<AutoCloseable> resources;

    private Connection(JobAdmin admin, JobQueue queue, JobStore store, String description, List<AutoCloseable> resources) {
        this.admin = admin;
        this.queue = queue;
        this.store = store;
        this.description = description;
        this.resources = resources;
    }

    static Connection redis(String uri, Settings settings) {
        RedisBackend redis = openRedis(uri, settings);
        try {
            RedisQueueOptions.Builder queueOptions = RedisQueueOptions.builder();
            if (settings.queue() != null) {
                queueOptions.name(settings.queue());
            }
            RedisJobQueue queue = redis.queue(queueOptions.build());
            RedisJobStore store = redis.store();
            return new Connection(Admins.redis(redis, queue, store), queue, store,
                    "Redis at " + redis.endpoint() + ", namespace " + redis.options().namespace(), List.of(redis));
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    static Connection postgres(String url, Settings settings) {
        JdbcBackend postgres = openPostgres(url, settings);
        try {
            return new Connection(Admins.postgres(postgres), postgres.queue(), postgres.store(),
                    "PostgreSQL " + Secrets.redact(postgres.toString()), List.of(postgres));
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    static Connection sqs(String queueUri, String storeUri, Settings settings) {
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            SqsJobQueue queue = SqsJobQueue.fromUri(queueUri).build();
            resources.add(queue);
            JobStore store;
            JobAdmin storeAdmin; // the jobs' admin, retrying onto the SQS queue
            if (storeUri.startsWith("redis://") || storeUri.startsWith("rediss://")) {
                RedisBackend redis = openRedis(storeUri, settings);
                resources.add(redis);
                RedisJobStore redisStore = redis.store();
                store = redisStore;
                storeAdmin = redis.admin(redisStore, queue);
            } else {
                JdbcBackend postgres = openPostgres(storeUri, settings);
                resources.add(postgres);
                store = postgres.store();
                storeAdmin = postgres.admin(queue);
            }
            return new Connection(Admins.sqs(queue, storeAdmin, store), queue, store,
                    "SQS queue " + Secrets.redact(queue.queueUrl()) + " with job store " + Secrets.redact(storeUri),
                    resources);
        } catch (RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    private static RedisBackend openRedis(String uri, Settings settings) {
        RedisOptions.Builder options = RedisOptions.fromUri(uri).toBuilder().poolSize(4);
        if (settings.namespace() != null) {
            options.namespace(settings.namespace());
        }
        return RedisBackend.connect(options.build());
    }

    private static JdbcBackend openPostgres(String url, Settings settings) {
        JdbcOptions.Builder options = JdbcOptions.builder().poolSize(4);
        if (settings.schema() != null) {
            options.schema(settings.schema());
        }
        if (settings.tablePrefix() != null) {
            options.tablePrefix(settings.tablePrefix());
        }
        if (settings.queue() != null) {
            options.queueName(settings.queue());
        }
        return JdbcBackend.connect(url, options.build());
    }

    JobAdmin admin() {
        return admin;
    }

    JobQueue queue() {
        return queue;
    }

    JobStore store() {
        return store;
    }

    /** {@return the queue's counts capability, or {@code null} when the queue has none} */
    @Nullable QueueStats queueStats() {
        return queue instanceof QueueStats stats ? stats : null;
    }

    /** {@return where this connection goes, without any password} */
    String describe() {
        return description;
    }

    @Override
    public void close() {
        closeAll(resources);
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception ignored) {
                // closing on the way out: nothing useful to do with a failure here
            }
        }
    }
}
