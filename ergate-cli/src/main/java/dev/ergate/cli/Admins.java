package dev.ergate.cli;

import dev.ergate.jdbc.JdbcBackend;
import dev.ergate.redis.RedisBackend;
import dev.ergate.redis.RedisJobQueue;
import dev.ergate.redis.RedisJobStore;
import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobStore;
import dev.ergate.sqs.SqsJobAdmin;
import dev.ergate.sqs.SqsJobQueue;

/** Where each backend's {@link JobAdmin} comes from. Stateless. */
final class Admins {

    private Admins() {
    }

    static JobAdmin redis(RedisBackend redis, RedisJobQueue queue, RedisJobStore store) {
        return redis.admin(store, queue);
    }

    static JobAdmin postgres(JdbcBackend postgres) {
        return postgres.admin();
    }

    /** SQS keeps no job states: the store's admin does the jobs, with retries sent to the SQS queue. */
    static JobAdmin sqs(SqsJobQueue queue, JobAdmin storeAdmin, JobStore store) {
        return SqsJobAdmin.of(queue, storeAdmin, store);
    }
}
