package dev.ergate.examples;

import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.StateStore;
import dev.ergate.testkit.InMemoryJobAdmin;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.InMemoryJobStore;
import java.time.Duration;
import java.util.Map;

/**
 * The in-memory backend of {@code ergate-testkit}: needs nothing but a JDK. Thread-safe.
 */
final class MemoryBackend implements DemoBackend {

    private final InMemoryJobQueue queue = InMemoryJobQueue.builder().leaseTime(Duration.ofSeconds(30)).build();
    private final InMemoryJobStore store = InMemoryJobStore.create();
    private final InMemoryJobAdmin admin = InMemoryJobAdmin.of(store, queue);

    static DemoBackend open(DemoOptions options, Map<String, String> environment) throws UsageException {
        if (options.url() != null) {
            throw new UsageException("the memory backend takes no --url");
        }
        return new MemoryBackend();
    }

    @Override
    public JobQueue queue() {
        return queue;
    }

    @Override
    public StateStore store() {
        return store;
    }

    @Override
    public JobAdmin admin() {
        return admin;
    }

    @Override
    public String describe() {
        return "the in-memory backend";
    }

    @Override
    public void close() {
        queue.close();
    }
}
