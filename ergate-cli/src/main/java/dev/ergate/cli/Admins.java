package dev.ergate.cli;

import dev.ergate.jdbc.JdbcBackend;
import dev.ergate.redis.RedisBackend;
import dev.ergate.redis.RedisJobQueue;
import dev.ergate.redis.RedisJobStore;
import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobStore;
import dev.ergate.sqs.SqsJobQueue;

/** Where each backend's {@link JobAdmin} comes from. Stateless. */
final class Admins {

    private Admins() {
    }

    static JobAdmin redis(RedisBackend redis, RedisJobQueue queue, RedisJobStore store) {
        throw new UnsupportedOperationException("the Redis admin has not landed yet");
    }

    static JobAdmin postgres(JdbcBackend postgres) {
        throw new UnsupportedOperationException("the PostgreSQL admin has not landed yet");
    }

    static JobAdmin sqs(SqsJobQueue queue, JobStore store) {
        throw new UnsupportedOperationException("the SQS admin has not landed yet");
    }
}
