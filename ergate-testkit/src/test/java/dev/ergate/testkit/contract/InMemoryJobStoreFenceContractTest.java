package dev.ergate.testkit.contract;

import dev.ergate.spi.JobStore;
import dev.ergate.testkit.InMemoryJobStore;

/** The in-memory store against the fence contract (the in-memory queue has no atomic finish). */
class InMemoryJobStoreFenceContractTest extends JobStoreFenceContract {

    @Override
    protected JobStore newStore() {
        return InMemoryJobStore.create();
    }
}
