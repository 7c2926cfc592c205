package dev.ergate.testkit.contract;

import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.InMemoryJobStore;

/** The submit contract on the in-memory backend: no atomic submit, the client's one-by-one path. */
class InMemorySubmitContractTest extends SubmitContract {

    @Override
    protected JobQueue newQueue() {
        return InMemoryJobQueue.create();
    }

    @Override
    protected JobStore newStore() {
        return InMemoryJobStore.create();
    }
}
