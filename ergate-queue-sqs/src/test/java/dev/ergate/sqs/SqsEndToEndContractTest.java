package dev.ergate.sqs;

import dev.ergate.spi.JobQueue;
import dev.ergate.spi.StateStore;
import dev.ergate.testkit.InMemoryJobStore;
import dev.ergate.testkit.contract.EndToEndContract;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;

/** The testkit's end-to-end contract: a real Ergate worker on a standard SQS queue and an in-memory store. */
@DisplayName("End-to-end contract: SQS standard queue")
class SqsEndToEndContractTest extends EndToEndContract {

    boolean fifo() {
        return false;
    }

    @Override
    protected JobQueue newQueue(Duration leaseTime) {
        String url = fifo() ? SqsTestBackend.newFifoQueue("e2e-contract") : SqsTestBackend.newQueue("e2e-contract");
        return SqsJobQueue.builder()
                .client(SqsTestBackend.client())
                .queueUrl(url)
                .queueOptions(SqsJobQueueContractTest.LIMITS.toBuilder().leaseTime(leaseTime).build())
                .build();
    }

    /** SQS holds no state: the in-memory store stands in for the user's. */
    @Override
    protected StateStore newStore() {
        return InMemoryJobStore.create();
    }
}
