package dev.ergate.redis;

import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.testkit.contract.JobStoreContract;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

@DisplayName("RedisJobStore passes the JobStore contract, the write fence included")
class RedisJobStoreContractTest extends JobStoreContract {

    private static RedisFixture fixture;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("store-contract");
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** Each store is a namespace of its own. */
    @Override
    protected JobStore newStore() {
        return fixture.backend().store();
    }

    @Override
    protected boolean supportsUniqueKeys() {
        return true;
    }

    @Override
    protected boolean supportsUniqueKeyHold() {
        return true;
    }

    @Override
    protected JobQueue atomicQueue(JobStore store, Duration leaseTime) {
        return ((RedisJobStore) store).backend().queue(RedisQueueOptions.builder()
                .name("fence-" + UUID.randomUUID()).leaseTime(leaseTime).build());
    }
}
