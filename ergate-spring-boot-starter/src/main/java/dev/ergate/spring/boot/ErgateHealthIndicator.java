package dev.ergate.spring.boot;

import dev.ergate.JobId;
import dev.ergate.runtime.Ergate;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.QueueCounts;
import dev.ergate.spi.QueueStats;
import dev.ergate.spi.StateStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Ergate's health: UP when the backend answers and the worker (if this application has one) runs;
 * DOWN when the backend fails; OUT_OF_SERVICE while the worker is stopped. Details: the queue's
 * counts, the worker's threads and how many of them are running a step.
 */
public class ErgateHealthIndicator extends AbstractHealthIndicator {

    private static final JobId PROBE = JobId.of("ergate-health-probe");

    private final JobQueue queue;
    private final StateStore store;
    private final @Nullable ErgateWorker worker;

    /**
     * @param queue the queue whose backend is probed
     * @param store the store, probed when the queue can't count its jobs
     * @param worker the worker, or null in a client-only application
     */
    public ErgateHealthIndicator(JobQueue queue, StateStore store, @Nullable ErgateWorker worker) {
        super("Ergate health check failed");
        this.queue = queue;
        this.store = store;
        this.worker = worker;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.up();
        if (queue instanceof QueueStats stats) {
            QueueCounts counts = stats.counts();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("ready", counts.ready());
            details.put("delayed", counts.delayed());
            details.put("inFlight", counts.inFlight());
            details.put("deadLetters", counts.deadLetters());
            details.put("approximate", counts.approximate());
            builder.withDetail("queue", details);
        } else if (store instanceof JobStore jobStore) {
            jobStore.find(PROBE); // one round trip: throws when the backend is unreachable
        }
        if (worker == null) {
            builder.withDetail("worker", "disabled");
            return;
        }
        Ergate ergate = worker.ergate();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("running", ergate.isRunning());
        details.put("threads", ergate.concurrency());
        details.put("busyThreads", ergate.busyThreads());
        builder.withDetail("worker", details);
        if (!ergate.isRunning()) {
            builder.status(Status.OUT_OF_SERVICE);
        }
    }
}
