package dev.ergate.dashboard;

import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.testkit.InMemoryJobAdmin;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.InMemoryJobStore;

/** The browser scenario on the in-memory backend (the one the testkit gives unit tests). */
class MemoryDashboardBrowserTest extends DashboardBrowserScenario {

    @Override
    TestBackend openBackend() {
        InMemoryJobQueue queue = InMemoryJobQueue.create();
        InMemoryJobStore store = InMemoryJobStore.create();
        InMemoryJobAdmin admin = InMemoryJobAdmin.of(store, queue);
        return new TestBackend() {
            @Override
            public JobQueue queue() {
                return queue;
            }

            @Override
            public JobStore store() {
                return store;
            }

            @Override
            public JobAdmin admin() {
                return admin;
            }

            @Override
            public void close() {
                queue.close();
            }
        };
    }

    @Override
    String name() {
        return "memory";
    }
}
