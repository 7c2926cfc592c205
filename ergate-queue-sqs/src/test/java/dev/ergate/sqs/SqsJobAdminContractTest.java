package dev.ergate.sqs;

import dev.ergate.spi.JobAdmin.Operation;
import dev.ergate.testkit.InMemoryJobAdmin;
import dev.ergate.testkit.InMemoryJobStore;
import dev.ergate.testkit.contract.JobAdminContract;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;

/** SQS with its dead-letter queue, paired with a store (in memory here; PostgreSQL or Redis in production). */
@DisplayName("SqsJobAdmin passes the JobAdmin contract, without listing dead letters")
class SqsJobAdminContractTest extends JobAdminContract {

    @Override
    protected Backend newBackend() {
        QueueFixture queues = new QueueFixture();
        String url = SqsTestBackend.newQueue("admin");
        String dlq = SqsTestBackend.newQueue("admin-dlq");
        SqsJobQueue queue = queues.open(url, SqsQueueOptions.builder().deadLetterQueueUrl(dlq).build());
        InMemoryJobStore store = InMemoryJobStore.create();
        SqsJobAdmin admin = SqsJobAdmin.of(queue, InMemoryJobAdmin.forStore(store, queue), store);
        return Backend.of(admin, store, queue,
                text -> SqsTestBackend.client().sendMessage(r -> r.queueUrl(url).messageBody(text)), queues::close);
    }

    @Override
    protected Set<Operation> expectedOperations() {
        return EnumSet.complementOf(EnumSet.of(Operation.LIST_DEAD_LETTERS));
    }
}
