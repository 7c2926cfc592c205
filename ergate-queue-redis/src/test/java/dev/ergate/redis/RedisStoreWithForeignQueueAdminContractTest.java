package dev.ergate.redis;

import dev.ergate.spi.JobAdmin.Operation;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.contract.JobAdminContract;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

/** A Redis store paired with another backend's queue (as with SQS): retries go there; no dead letters here. */
@DisplayName("RedisJobAdmin with another backend's queue passes the JobAdmin contract, without dead letters")
class RedisStoreWithForeignQueueAdminContractTest extends JobAdminContract {

    private static RedisFixture fixture;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("admin-foreign");
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Override
    protected Backend newBackend() {
        RedisBackend redis = fixture.backend();
        RedisJobStore store = redis.store();
        InMemoryJobQueue queue = InMemoryJobQueue.create();
        RedisJobAdmin admin = redis.admin(store, queue);
        return Backend.of(admin, store, queue, text -> queue.putRaw(text.getBytes(StandardCharsets.UTF_8)),
                queue::close);
    }

    @Override
    protected Set<Operation> expectedOperations() {
        return EnumSet.complementOf(EnumSet.of(Operation.JOB_HISTORY, Operation.LIST_DEAD_LETTERS,
                Operation.REQUEUE_DEAD_LETTERS, Operation.PURGE_DEAD_LETTERS));
    }
}
