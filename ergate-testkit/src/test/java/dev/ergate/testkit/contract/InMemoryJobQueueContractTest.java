package dev.ergate.testkit.contract;

import dev.ergate.spi.DeadLetter;
import dev.ergate.spi.JobQueue;
import dev.ergate.testkit.InMemoryJobQueue;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/** The in-memory queue against the queue contract, with a size limit so the oversize tests run too. */
class InMemoryJobQueueContractTest extends JobQueueContract {

    private static final long LIMIT = 256 * 1024;

    @Override
    protected JobQueue newQueue(Duration leaseTime) {
        return InMemoryJobQueue.builder().leaseTime(leaseTime).maxJobBytes(LIMIT).build();
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
    protected OptionalLong maxJobBytes() {
        return OptionalLong.of(LIMIT);
    }

    @Override
    protected boolean supportsPriorities() {
        return true;
    }
}
