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

    @Test
    void theThreadGaugesShowHowManyWorkerThreadsRunAStep() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CountDownLatch release = new CountDownLatch(1);
        Workflow slow = Workflow.builder("slow")
                .step("wait", Integer.class, (n, ctx) -> release.await(30, TimeUnit.SECONDS))
                .build();
        InMemoryJobQueue queue = InMemoryJobQueue.create();
        try (Ergate worker = Ergate.builder(queue, InMemoryJobStore.create())
                .options(ErgateOptions.builder().concurrency(3).pollTimeout(Duration.ofMillis(100))
                        .handleSignals(false).build())
                .build()
                .registerWorkflow(slow)) {
            ErgateGauges.of(worker).bindTo(registry);
            worker.start();
            assertThat(registry.get("ergate.worker.threads").gauge().value()).isEqualTo(3);
            assertThat(registry.get("ergate.worker.threads.busy").gauge().value()).isZero();

            ErgateClient client = ErgateClient.builder(queue).build();
            client.submit("slow", 1);
            client.submit("slow", 2);

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> registry.get("ergate.worker.threads.busy").gauge().value() == 2);
            release.countDown();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> registry.get("ergate.worker.threads.busy").gauge().value() == 0);
        }
    }
}
