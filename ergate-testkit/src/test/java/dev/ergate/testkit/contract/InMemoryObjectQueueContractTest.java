package dev.ergate.testkit.contract;

import dev.ergate.spi.DeadLetter;
import dev.ergate.spi.JobQueue;
import dev.ergate.testkit.InMemoryJobQueue;
import java.time.Duration;
import java.util.List;

/** The in-memory queue without the JSON round trip (job objects handed through) against the queue contract. */
class InMemoryObjectQueueContractTest extends JobQueueContract {

    @Override
    protected JobQueue newQueue(Duration leaseTime) {
        return InMemoryJobQueue.builder().leaseTime(leaseTime).jsonRoundTrip(false).build();
    }

    @Override
    protected boolean putRaw(JobQueue queue, byte[] message) {
        ((InMemoryJobQueue) queue).putRaw(message);
        return true;
    }

    @Override
    protected List<String> deadLetters(JobQueue queue) {
        return ((InMemoryJobQueue) queue).deadLetters().stream().map(DeadLetter::body).toList();
    }

    @Override
    protected boolean supportsPriorities() {
        return true;
    }
}
