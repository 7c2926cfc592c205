package dev.ergate.redis;

import dev.ergate.spi.ScheduleStore;
import dev.ergate.testkit.contract.ScheduleStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

@DisplayName("RedisScheduleStore passes the ScheduleStore contract")
class RedisScheduleStoreContractTest extends ScheduleStoreContract {

    private static RedisFixture fixture;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("schedule-contract");
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** Each test gets a namespace of its own. */
    @Override
    protected ScheduleStore newStore() {
        return fixture.backend().schedules();
    }
}
