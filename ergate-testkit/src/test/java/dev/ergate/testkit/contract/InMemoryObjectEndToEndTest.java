package dev.ergate.testkit.contract;

import dev.ergate.spi.JobQueue;
import dev.ergate.spi.StateStore;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.InMemoryJobStore;
import java.time.Duration;

/** A real worker over the in-memory queue without the JSON round trip, and the in-memory store. */
class InMemoryObjectEndToEndTest extends EndToEndContract {

    @Override
    protected JobQueue newQueue(Duration leaseTime) {
        return InMemoryJobQueue.builder().leaseTime(leaseTime).jsonRoundTrip(false).build();
    }

    @Override
    protected StateStore newStore() {
        return InMemoryJobStore.create();
    }
}
