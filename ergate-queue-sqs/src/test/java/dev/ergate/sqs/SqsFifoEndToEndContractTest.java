package dev.ergate.sqs;

import org.junit.jupiter.api.DisplayName;

/** The testkit's end-to-end contract on a FIFO SQS queue. */
@DisplayName("End-to-end contract: SQS FIFO queue")
class SqsFifoEndToEndContractTest extends SqsEndToEndContractTest {

    @Override
    boolean fifo() {
        return true;
    }
}
