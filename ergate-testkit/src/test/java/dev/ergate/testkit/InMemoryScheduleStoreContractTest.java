package dev.ergate.testkit;

import dev.ergate.spi.ScheduleStore;
import dev.ergate.testkit.contract.ScheduleStoreContract;
import org.junit.jupiter.api.DisplayName;

@DisplayName("InMemoryScheduleStore passes the ScheduleStore contract")
class InMemoryScheduleStoreContractTest extends ScheduleStoreContract {

    @Override
    protected ScheduleStore newStore() {
        return InMemoryScheduleStore.create();
    }
}
