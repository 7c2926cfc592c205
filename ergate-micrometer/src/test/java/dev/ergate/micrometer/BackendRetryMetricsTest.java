package dev.ergate.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.Workflow;
import dev.ergate.spi.ErgateBackendException;
import dev.ergate.spi.StateStore;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.InMemoryJobStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A store that is unreachable for a while: the worker's retries of it are counted by operation. */
class BackendRetryMetricsTest {

    @Test
    void transientStoreFailuresAreCountedAsRetriesOfTheirOperation() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ErgateMetrics metrics = new ErgateMetrics(registry);
        InMemoryJobQueue queue = InMemoryJobQueue.create();
        InMemoryJobStore store = InMemoryJobStore.create();
        AtomicInteger outagesLeft = new AtomicInteger(3);
        StateStore flaky = job -> {
            if (outagesLeft.getAndDecrement() > 0) {
                throw new ErgateBackendException("store unreachable (test outage)", null, true);
            }
            store.update(job);
        };
        try (Ergate worker = Ergate.builder(queue, flaky)
                .options(ErgateOptions.builder().concurrency(1).pollTimeout(Duration.ofMillis(100))
                        .backendRetryDelays(Duration.ofMillis(1), Duration.ofMillis(5)).handleSignals(false).build())
                .listener(metrics)
                .build()
                .registerWorkflow(Workflow.builder("one").step("only", Integer.class, (n, ctx) -> n + 1).build())) {
            worker.start();
            JobId id = ErgateClient.builder(queue).store(store).build().submit("one", 1);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> store.find(id).map(Job::status).orElse(null) == JobStatus.COMPLETED);
        }

        assertThat(registry.get("ergate.backend.retries").counters())
                .as("retries by operation").isNotEmpty()
                .allSatisfy(c -> assertThat(c.getId().getTag("operation")).isNotBlank());
        assertThat(registry.get("ergate.backend.retries").counters().stream().mapToDouble(Counter::count).sum())
                .isEqualTo(3);
        assertThat(registry.find("ergate.backend.failures").counters()).isEmpty();
    }
}
