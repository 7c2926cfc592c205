package dev.ergate.testkit.contract;

import dev.ergate.spi.JobAdmin.Operation;
import dev.ergate.spi.JobQueue;
import dev.ergate.testkit.InMemoryJobAdmin;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.InMemoryJobStore;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;

/** An admin of the store alone (as an SQS queue's admin pairs with): no dead-letter operations, declared. */
class InMemoryStoreOnlyAdminContractTest extends JobAdminContract {

    @Override
    protected Backend newBackend() {
        InMemoryJobStore store = InMemoryJobStore.create();
        InMemoryJobQueue queue = InMemoryJobQueue.create();
        JobQueue notInMemory = new JobQueue() { // any other backend's queue
            @Override
            public void put(dev.ergate.Job job) {
                queue.put(job);
            }

            @Override
            public java.util.Optional<dev.ergate.spi.Delivery> take(java.time.Duration maxWait)
                    throws InterruptedException {
                return queue.take(maxWait);
            }
        };
        InMemoryJobAdmin admin = InMemoryJobAdmin.forStore(store, notInMemory);
        return Backend.of(admin, store, notInMemory,
                text -> queue.putRaw(text.getBytes(StandardCharsets.UTF_8)), queue::close);
    }

    @Override
    protected Set<Operation> expectedOperations() {
        return EnumSet.complementOf(EnumSet.of(Operation.LIST_DEAD_LETTERS, Operation.REQUEUE_DEAD_LETTERS,
                Operation.PURGE_DEAD_LETTERS));
    }
}
