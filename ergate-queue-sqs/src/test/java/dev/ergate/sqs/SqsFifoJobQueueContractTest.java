package dev.ergate.sqs;

import org.junit.jupiter.api.DisplayName;

/** The testkit's queue contract on a FIFO SQS queue with a FIFO dead-letter queue. */
@DisplayName("JobQueue contract: SQS FIFO queue")
class SqsFifoJobQueueContractTest extends SqsJobQueueContractTest {

    @Override
    boolean fifo() {
        return true;
    }
}
