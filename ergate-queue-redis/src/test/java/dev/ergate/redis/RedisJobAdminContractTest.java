package dev.ergate.redis;

import dev.ergate.spi.JobAdmin.Operation;
import dev.ergate.testkit.contract.JobAdminContract;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

@DisplayName("RedisJobAdmin passes the JobAdmin contract")
class RedisJobAdminContractTest extends JobAdminContract {

    private static RedisFixture fixture;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("admin-contract");
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** Each test gets a namespace of its own. */
    @Override
    protected Backend newBackend() {
        RedisBackend redis = fixture.backend();
        RedisJobStore store = redis.store();
        RedisJobQueue queue = redis.queue();
        RedisJobAdmin admin = redis.admin(store, queue);
        return Backend.of(admin, store, queue, text -> fixture.raw().rpush(
                queue.keys().ready().getBytes(StandardCharsets.UTF_8), text.getBytes(StandardCharsets.UTF_8)),
                () -> { });
    }

    @Override
    protected Set<Operation> expectedOperations() {
        return EnumSet.complementOf(EnumSet.of(Operation.JOB_HISTORY));
    }
}
