package dev.ergate.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ergate.JobId;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.RetryPolicy;
import dev.ergate.runtime.StepOptions;
import dev.ergate.runtime.StepTimeoutException;
import dev.ergate.runtime.Workflow;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.InMemoryJobStore;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MemoryTracingTest {

    @Test
    void oneTraceRunsFromSubmitThroughThreeStepsOnTwoWorkerThreads() {
        try (TraceScenario scenario = new TraceScenario()) {
            scenario.runAndCheck(InMemoryJobQueue.create(), InMemoryJobStore.create());
        }
    }

    @Test
    void aRetriedStepRecordsItsErrorAndItsRetryLinksToTheFailedRun() {
        Workflow payments = Workflow.builder("payments")
                .step("charge", Integer.class, (amount, ctx) -> {
                    if (ctx.attempt() == 1) {
                        throw new IllegalStateException("card declined");
                    }
                    return amount;
                }, StepOptions.builder().retryPolicy(RetryPolicy.builder().maxAttempts(2)
                        .initialDelay(Duration.ofMillis(10)).jitter(0).build()).build())
                .step("ship", Integer.class, (amount, ctx) -> {
                    throw new IllegalArgumentException("no address");
                })
                .build();
        InMemoryJobQueue queue = InMemoryJobQueue.create();
        InMemoryJobStore store = InMemoryJobStore.create();
        try (TraceScenario scenario = new TraceScenario()) {
            ErgateTracing tracing = ErgateTracing.create(scenario.sdk);
            JobId id;
            try (Ergate worker = Ergate.builder(queue, store)
                    .options(ErgateOptions.builder().concurrency(2).pollTimeout(Duration.ofMillis(100))
                            .handleSignals(false).build())
                    .interceptor(tracing)
                    .listener(tracing)
                    .build()
                    .registerWorkflow(payments)) {
                worker.start();
                id = ErgateClient.builder(queue).store(store).submitHook(tracing).build().submit("payments", 5);
                await().atMost(Duration.ofSeconds(30)).until(() -> scenario.stepSpans().size() == 3);
            }

            List<SpanData> steps = scenario.stepSpans().stream()
                    .sorted(Comparator.comparing(SpanData::getStartEpochNanos)).toList();
            SpanData submit = scenario.exporter.getFinishedSpanItems().stream()
                    .filter(span -> span.getKind() == SpanKind.PRODUCER).findFirst().orElseThrow();
            assertThat(steps).allSatisfy(step -> {
                assertThat(step.getTraceId()).isEqualTo(submit.getTraceId());
                assertThat(step.getParentSpanId()).isEqualTo(submit.getSpanId());
                assertThat(step.getAttributes().get(ErgateTracing.JOB_ID)).isEqualTo(id.toString());
            });

            SpanData failedCharge = steps.get(0);
            assertThat(failedCharge.getName()).isEqualTo("payments charge");
            assertThat(failedCharge.getAttributes().get(ErgateTracing.ATTEMPT)).isEqualTo(1L);
            assertThat(failedCharge.getAttributes().get(ErgateTracing.OUTCOME)).isEqualTo("retried");
            assertThat(failedCharge.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(exceptionType(failedCharge)).isEqualTo(IllegalStateException.class.getName());
            assertThat(failedCharge.getLinks()).isEmpty();

            SpanData retriedCharge = steps.get(1);
            assertThat(retriedCharge.getAttributes().get(ErgateTracing.ATTEMPT)).isEqualTo(2L);
            assertThat(retriedCharge.getAttributes().get(ErgateTracing.OUTCOME)).isEqualTo("next");
            assertThat(retriedCharge.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
            assertThat(retriedCharge.getLinks()).singleElement().satisfies(link -> {
                assertThat(link.getSpanContext().getSpanId()).isEqualTo(failedCharge.getSpanId());
                assertThat(link.getAttributes().get(ErgateTracing.LINK_REASON)).isEqualTo("retry");
            });

            SpanData ship = steps.get(2);
            assertThat(ship.getName()).isEqualTo("payments ship");
            assertThat(ship.getAttributes().get(ErgateTracing.OUTCOME)).isEqualTo("failed");
            assertThat(ship.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(exceptionType(ship)).isEqualTo(IllegalArgumentException.class.getName());
        }
    }

    @Test
    void aTimedStepRunsInItsSpanOnTheTimeoutThreadAndItsTimeoutIsRecorded() {
        CountDownLatch never = new CountDownLatch(1);
        AtomicReference<String> spanInStep = new AtomicReference<>();
        Workflow slow = Workflow.builder("slow")
                .step("hang", Integer.class, (n, ctx) -> {
                    spanInStep.set(Span.current().getSpanContext().getSpanId());
                    return never.await(30, TimeUnit.SECONDS);
                }, StepOptions.builder().timeout(Duration.ofMillis(200)).build())
                .build();
        InMemoryJobQueue queue = InMemoryJobQueue.create();
        InMemoryJobStore store = InMemoryJobStore.create();
        try (TraceScenario scenario = new TraceScenario()) {
            ErgateTracing tracing = ErgateTracing.create(scenario.sdk);
            try (Ergate worker = Ergate.builder(queue, store)
                    .options(ErgateOptions.builder().concurrency(1).pollTimeout(Duration.ofMillis(100))
                            .handleSignals(false).build())
                    .interceptor(tracing)
                    .listener(tracing)
                    .build()
                    .registerWorkflow(slow)) {
                worker.start();
                ErgateClient.builder(queue).store(store).submitHook(tracing).build().submit("slow", 1);
                await().atMost(Duration.ofSeconds(30)).until(() -> scenario.stepSpans().size() == 1);
            } finally {
                never.countDown();
            }

            SpanData hang = scenario.stepSpans().get(0);
            assertThat(hang.getSpanId()).isEqualTo(spanInStep.get());
            assertThat(hang.getAttributes().get(ErgateTracing.THREAD_NAME)).startsWith("ergate-timed-step");
            assertThat(hang.getAttributes().get(ErgateTracing.OUTCOME)).isEqualTo("failed");
            assertThat(hang.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(exceptionType(hang)).isEqualTo(StepTimeoutException.class.getName());
        }
    }

    private static String exceptionType(SpanData span) {
        return span.getEvents().stream().filter(event -> event.getName().equals("exception"))
                .map(EventData::getAttributes)
                .map(attributes -> attributes.get(AttributeKey.stringKey("exception.type")))
                .findFirst().orElse(null);
    }
}
