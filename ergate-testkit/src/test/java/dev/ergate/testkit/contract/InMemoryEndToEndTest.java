package dev.ergate.testkit.contract;

import dev.ergate.spi.JobQueue;
import dev.ergate.spi.StateStore;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.InMemoryJobStore;
import java.time.Duration;

/** A real worker over the in-memory queue and store. */
class InMemoryEndToEndTest extends EndToEndContract {

    @Override
    protected JobQueue newQueue(Duration leaseTime) {
        return InMemoryJobQueue.builder().leaseTime(leaseTime).build();
    }

    @Override
    protected StateStore newStore() {
        return InMemoryJobStore.create();
    }
}
