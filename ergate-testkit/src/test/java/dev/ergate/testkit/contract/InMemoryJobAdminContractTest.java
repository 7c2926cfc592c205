package dev.ergate.testkit.contract;

import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobAdmin.Operation;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.testkit.InMemoryJobAdmin;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.InMemoryJobStore;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;

class InMemoryJobAdminContractTest extends JobAdminContract {

    @Override
    protected Backend newBackend() {
        InMemoryJobStore store = InMemoryJobStore.create();
        InMemoryJobQueue queue = InMemoryJobQueue.create();
        InMemoryJobAdmin admin = InMemoryJobAdmin.of(store, queue);
        return new Backend() {
            @Override
            public JobAdmin admin() {
                return admin;
            }

            @Override
            public JobStore store() {
                return store;
            }

            @Override
            public JobQueue queue() {
                return queue;
            }

            @Override
            public void putRaw(String text) {
                queue.putRaw(text.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void close() {
                queue.close();
            }
        };
    }

    @Override
    protected Set<Operation> expectedOperations() {
        return EnumSet.allOf(Operation.class);
    }
}
