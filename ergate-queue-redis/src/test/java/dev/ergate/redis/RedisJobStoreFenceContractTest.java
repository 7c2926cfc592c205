package dev.ergate.redis;

import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.testkit.contract.JobStoreFenceContract;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

/** The testkit's fence contract (issue 14, items 3 and 12) against {@link RedisJobStore} and its atomic finish. */
@DisplayName("RedisJobStore passes the JobStore fence contract")
class RedisJobStoreFenceContractTest extends JobStoreFenceContract {

    private static RedisFixture fixture;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("fence-contract");
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
    protected JobQueue atomicQueue(JobStore store, Duration leaseTime) {
        return ((RedisJobStore) store).backend().queue(RedisQueueOptions.builder()
                .name("fence-" + UUID.randomUUID()).leaseTime(leaseTime).build());
    }
}
