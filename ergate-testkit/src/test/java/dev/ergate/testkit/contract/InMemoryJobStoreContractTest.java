package dev.ergate.testkit.contract;

import dev.ergate.spi.JobStore;
import dev.ergate.testkit.InMemoryJobStore;

/** The in-memory store against the store contract. */
class InMemoryJobStoreContractTest extends JobStoreContract {

    @Override
    protected JobStore newStore() {
        return InMemoryJobStore.create();
    }

    @Override
    protected boolean supportsUniqueKeys() {
        return true;
    }

    @Override
    protected boolean supportsUniqueKeyHold() {
        return true;
    }
}
