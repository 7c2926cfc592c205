package dev.ergate.bench;

import dev.ergate.spi.JobStore;
import dev.ergate.testkit.contract.JobStoreContract;

/** The memory backend's store passes the same contract as every adapter's store. */
class LatestStateStoreContractTest extends JobStoreContract {

    @Override
    protected JobStore newStore() {
        return new LatestStateStore();
    }
}
