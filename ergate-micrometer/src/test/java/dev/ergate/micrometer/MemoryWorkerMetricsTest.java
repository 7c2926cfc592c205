package dev.ergate.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.Workflow;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.InMemoryJobStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MemoryWorkerMetricsTest {

    @Test
    void theMetersCountExactlyWhatTheWorkerRan() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        WorkerMetricsScenario.run(InMemoryJobQueue.create(), InMemoryJobStore.create(), registry);

        WorkerMetricsScenario.assertExactCounts(registry);
    }
}
