package dev.ergate.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ergate.JobId;
import dev.ergate.runtime.AbortJob;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.RetryPolicy;
import dev.ergate.runtime.StepOptions;
import dev.ergate.runtime.Workflow;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.StateStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.RequiredSearch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A batch run by a real worker, whose outcomes are known in advance, so the meters can be checked
 * against what ran. Twelve orders through validate, charge, ship: orders 4, 8 and 12 are aborted
 * by validate; charge fails once (then succeeds on its retry) for orders 3, 6 and 9; ship throws
 * for order 7, which fails the job.
 */
final class WorkerMetricsScenario {

    static final int JOBS = 12;

    static final Workflow ORDERS = Workflow.builder("orders")
            .step("validate", Integer.class, (order, ctx) -> order % 4 == 0 ? new AbortJob("empty order " + order) : order)
            .step("charge", Integer.class, (order, ctx) -> {
                if (order % 3 == 0 && ctx.attempt() == 1) {
                    throw new IllegalStateException("card declined once for order " + order);
                }
                return order;
            }, StepOptions.builder().retryPolicy(RetryPolicy.builder().maxAttempts(2)
                    .initialDelay(Duration.ofMillis(10)).jitter(0).build()).build())
            .step("ship", Integer.class, (order, ctx) -> {
                if (order == 7) {
                    throw new IllegalArgumentException("no address for order 7");
                }
                return "shipped " + order;
            })
            .build();

    private WorkerMetricsScenario() {
    }

    /** Runs the batch with the metrics attached, waits until every job ended, and returns the ids. */
    static List<JobId> run(JobQueue queue, StateStore store, MeterRegistry registry) {
        ErgateMetrics metrics = new ErgateMetrics(registry);
        List<JobId> ids = new ArrayList<>();
        try (Ergate worker = Ergate.builder(queue, store)
                .options(ErgateOptions.builder().concurrency(3).pollTimeout(Duration.ofMillis(100))
                        .handleSignals(false).build())
                .listener(metrics)
                .build()
                .registerWorkflow(ORDERS)) {
            ErgateGauges.of(worker).bindTo(registry);
            worker.start();
            ErgateClient client = ErgateClient.builder(queue).store(store).submitHook(metrics).build();
            for (int order = 1; order <= JOBS; order++) {
                ids.add(client.submit("orders", order));
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertExactCounts(registry));
        }
        return ids;
    }

    /** The meters say exactly what ran. */
    static void assertExactCounts(MeterRegistry registry) {
        assertThat(steps(registry, "validate", "next")).isEqualTo(9);
        assertThat(steps(registry, "validate", "aborted")).isEqualTo(3);
        assertThat(steps(registry, "charge", "retried")).isEqualTo(3);
        assertThat(steps(registry, "charge", "next")).isEqualTo(9);
        assertThat(steps(registry, "ship", "completed")).isEqualTo(8);
        assertThat(steps(registry, "ship", "failed")).isEqualTo(1);
        // every step that ran was timed, under the same tags
        assertThat(registry.get("ergate.step.duration").timers())
                .allSatisfy(timer -> assertThat(timer.count()).isEqualTo(
                        (long) registry.get("ergate.steps").tags(timer.getId().getTags()).counter().count()));
        assertThat(registry.get("ergate.step.duration").timers().stream().mapToLong(t -> t.count()).sum())
                .isEqualTo(9 + 3 + 3 + 9 + 8 + 1);
        assertThat(registry.get("ergate.step.duration").timers().stream().mapToDouble(t -> t.totalTime(TimeUnit.NANOSECONDS)).sum())
                .as("time spent in step code").isPositive();
        assertThat(registry.get("ergate.step.queue.wait").timers().stream().mapToLong(t -> t.count()).sum())
                .as("queue waits: one per step run").isEqualTo(9 + 3 + 3 + 9 + 8 + 1);
        assertThat(jobs(registry, "completed")).isEqualTo(8);
        assertThat(jobs(registry, "aborted")).isEqualTo(3);
        assertThat(jobs(registry, "failed")).isEqualTo(1);
        assertThat(registry.get("ergate.job.duration").tag("workflow", "orders").timers().stream()
                .mapToLong(t -> t.count()).sum()).isEqualTo(JOBS);
    }

    static double steps(MeterRegistry registry, String step, String outcome) {
        RequiredSearch search = registry.get("ergate.steps").tag("workflow", "orders").tag("step", step)
                .tag("outcome", outcome);
        return search.counter().count();
    }

    static double jobs(MeterRegistry registry, String outcome) {
        return registry.get("ergate.jobs.finished").tag("workflow", "orders").tag("outcome", outcome).counter().count();
    }
}
