package dev.ergate.testkit.contract;

import dev.ergate.spi.JobAdmin.Operation;
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
        return Backend.of(admin, store, queue, text -> queue.putRaw(text.getBytes(StandardCharsets.UTF_8)),
                queue::close);
    }

    @Override
    protected Set<Operation> expectedOperations() {
        return EnumSet.allOf(Operation.class);
    }
}
