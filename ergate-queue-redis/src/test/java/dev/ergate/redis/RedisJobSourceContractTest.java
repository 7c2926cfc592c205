package dev.ergate.redis;

import dev.ergate.spi.JobSource;
import dev.ergate.spi.JobStore;
import dev.ergate.testkit.contract.JobSourceContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

@DisplayName("RedisJobSource passes the JobSource contract")
class RedisJobSourceContractTest extends JobSourceContract {

    private static RedisFixture fixture;
    private Duration claimTimeout = RedisJobSource.DEFAULT_CLAIM_TIMEOUT;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("source-contract");
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** Each store is a namespace of its own. */
    @Override
    protected JobStore newStore(Duration claimTimeout) {
        this.claimTimeout = claimTimeout;
        return fixture.backend().store();
    }

    @Override
    protected JobSource newSource(JobStore store) {
        return RedisJobSource.over((RedisJobStore) store, claimTimeout);
    }
}
