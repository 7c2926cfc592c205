package dev.ergate.redis;

import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.testkit.contract.StartOnTakeContract;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

/** The start-on-take contract on Redis: the claim script (and the finish's claim) starts the step. */
@DisplayName("RedisJobQueue passes the start-on-take contract")
class RedisStartOnTakeContractTest extends StartOnTakeContract {

    private static RedisFixture fixture;
    private @Nullable RedisBackend backend;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("start-on-take");
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Override
    protected JobQueue newQueue() {
        backend = fixture.backend();
        return backend.queue(RedisQueueOptions.builder().leaseTime(Duration.ofMinutes(5)).build());
    }

    @Override
    protected JobStore store() {
        if (backend == null) {
            throw new IllegalStateException("newQueue must come first: the store shares the queue's backend");
        }
        return backend.store();
    }
}
