package dev.ergate.testkit.contract;

import dev.ergate.spi.JobSource;
import dev.ergate.spi.JobStore;
import dev.ergate.testkit.InMemoryJobStore;
import java.time.Duration;

/** The in-memory store as the publisher's source; it has no claimer identities, so every source is the store. */
class InMemoryJobSourceContractTest extends JobSourceContract {

    @Override
    protected JobStore newStore(Duration claimTimeout) {
        return InMemoryJobStore.builder().claimTimeout(claimTimeout).build();
    }

    @Override
    protected JobSource newSource(JobStore store) {
        return (InMemoryJobStore) store;
    }
}
