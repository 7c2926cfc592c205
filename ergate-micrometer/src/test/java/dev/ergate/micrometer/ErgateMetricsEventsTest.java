package dev.ergate.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.Job;
import dev.ergate.runtime.StepResult;
import dev.ergate.spi.ErgateBackendException;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The events a worker run rarely produces on demand: each lands on its meter, tags bounded. */
class ErgateMetricsEventsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, new MockClock());
    private final ErgateMetrics metrics = new ErgateMetrics(registry, Tags.of("pool", "billing"), 2);

    @Test
    void backendRetriesAndFailuresAreCountedByOperation() {
        ErgateBackendException down = new ErgateBackendException("connection refused", null, true);
        metrics.backendRetried("take", 1, down);
        metrics.backendRetried("take", 2, down);
        metrics.backendRetried("update", 1, down);
        metrics.backendGaveUp("take", down);

        assertThat(registry.get("ergate.backend.retries").tags("operation", "take", "pool", "billing").counter().count())
                .isEqualTo(2);
        assertThat(registry.get("ergate.backend.retries").tag("operation", "update").counter().count()).isEqualTo(1);
        assertThat(registry.get("ergate.backend.failures").tag("operation", "take").counter().count()).isEqualTo(1);
    }

    @Test
    void leasesDeadLettersAndReleasesAreCountedByWorkflow() {
        Job job = Job.of("orders");
        metrics.leaseLost(job);
        metrics.deliveryDeadLettered(job, "delivered 6 times");
        metrics.deliveryDeadLettered(null, "not a job");
        metrics.jobReleasedOnShutdown(job);
        metrics.jobReleasedOnShutdown(job);

        assertThat(registry.get("ergate.leases.lost").tag("workflow", "orders").counter().count()).isEqualTo(1);
        assertThat(registry.get("ergate.dead.letters").tag("workflow", "orders").counter().count()).isEqualTo(1);
        assertThat(registry.get("ergate.dead.letters").tag("workflow", "unknown").counter().count()).isEqualTo(1);
        assertThat(registry.get("ergate.jobs.released").tag("workflow", "orders").counter().count()).isEqualTo(2);
    }

    @Test
    void workflowNamesBeyondTheLimitAreCountedAsOther() {
        for (String name : Arrays.asList("a", "b", "c", "d", "a")) {
            metrics.leaseLost(Job.of(name));
        }

        assertThat(registry.get("ergate.leases.lost").counters()).extracting(c -> c.getId().getTag("workflow"))
                .containsExactlyInAnyOrder("a", "b", "other");
        assertThat(registry.get("ergate.leases.lost").tag("workflow", "other").counter().count()).isEqualTo(2);
    }

    @Test
    void theSubmitHookStampsTheSubmitTimeOnce() {
        MockClock clock = (MockClock) registry.config().clock();
        Job submitted = metrics.beforeSubmit(Job.of("orders"));
        clock.add(Duration.ofSeconds(5));

        assertThat(metrics.beforeSubmit(submitted)).isSameAs(submitted);
        assertThat(submitted.extraField(ErgateMetrics.SUBMITTED_AT_FIELD).asLong())
                .isEqualTo(clock.wallTime() - 5000);
    }

    @Test
    void outcomesUseTheReadmeWords() {
        assertThat(ErgateMetrics.outcome(StepResult.Outcome.CONTINUED)).isEqualTo("next");
        assertThat(ErgateMetrics.outcome(StepResult.Outcome.RETRY_SCHEDULED)).isEqualTo("retried");
        assertThat(ErgateMetrics.outcome(StepResult.Outcome.COMPLETED)).isEqualTo("completed");
    }
}
