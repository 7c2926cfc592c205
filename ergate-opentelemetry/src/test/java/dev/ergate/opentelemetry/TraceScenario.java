package dev.ergate.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ergate.JobId;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.Workflow;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.StateStore;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

/**
 * Two orders, each submitted inside a request span of its own, through validate, charge and ship
 * on a worker with two threads. Both validate steps wait for each other, so they run at the same
 * time on the two threads. Each step records the span current in its code.
 */
final class TraceScenario implements AutoCloseable {

    static final List<String> STEPS = List.of("validate", "charge", "ship");

    final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .build();
    /** The span current in the step's code, by "job id/step". */
    final Map<String, SpanContext> currentInStep = new ConcurrentHashMap<>();
    private final CyclicBarrier bothValidating = new CyclicBarrier(2);

    Workflow orders() {
        return Workflow.builder("orders")
                .step("validate", Integer.class, (order, ctx) -> {
                    record(ctx.job().id(), "validate");
                    bothValidating.await(10, TimeUnit.SECONDS);
                    return order;
                })
                .step("charge", Integer.class, (order, ctx) -> {
                    record(ctx.job().id(), "charge");
                    return order;
                })
                .step("ship", Integer.class, (order, ctx) -> {
                    record(ctx.job().id(), "ship");
                    return "shipped " + order;
                })
                .build();
    }

    private void record(JobId id, String step) {
        currentInStep.put(id + "/" + step, Span.current().getSpanContext());
    }

    /** Runs the two orders and checks one trace per order, from its request span through its three steps. */
    void runAndCheck(JobQueue queue, StateStore store) {
        ErgateTracing tracing = ErgateTracing.create(sdk);
        Tracer tracer = sdk.getTracer("test");
        Map<JobId, SpanContext> requests = new ConcurrentHashMap<>();
        try (Ergate worker = Ergate.builder(queue, store)
                .options(ErgateOptions.builder().concurrency(2).pollTimeout(Duration.ofMillis(100))
                        .handleSignals(false).build())
                .interceptor(tracing)
                .listener(tracing)
                .build()
                .registerWorkflow(orders())) {
            worker.start();
            ErgateClient client = ErgateClient.builder(queue).store(store).submitHook(tracing).build();
            for (int order = 1; order <= 2; order++) {
                Span request = tracer.spanBuilder("request " + order).startSpan();
                try (Scope ignored = request.makeCurrent()) {
                    requests.put(client.submit("orders", order), request.getSpanContext());
                } finally {
                    request.end();
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> stepSpans().size() == 2 * STEPS.size());
        }

        Set<String> validateThreads = new HashSet<>();
        requests.forEach((id, request) -> {
            List<SpanData> trace = exporter.getFinishedSpanItems().stream()
                    .filter(span -> span.getTraceId().equals(request.getTraceId())).toList();
            SpanData submit = trace.stream().filter(span -> span.getKind() == SpanKind.PRODUCER).findFirst().orElseThrow();
            assertThat(submit.getName()).isEqualTo("submit orders");
            assertThat(submit.getParentSpanId()).isEqualTo(request.getSpanId());
            assertThat(submit.getAttributes().get(ErgateTracing.JOB_ID)).isEqualTo(id.toString());

            List<SpanData> steps = trace.stream().filter(span -> span.getKind() == SpanKind.CONSUMER).toList();
            assertThat(steps).extracting(SpanData::getName)
                    .containsExactlyInAnyOrder("orders validate", "orders charge", "orders ship");
            assertThat(trace).hasSize(1 + 1 + STEPS.size()); // request, submit, steps: nothing else in the trace
            for (SpanData step : steps) {
                String name = step.getAttributes().get(ErgateTracing.STEP);
                assertThat(step.getParentSpanId()).as("parent of %s", name).isEqualTo(submit.getSpanId());
                assertThat(step.getAttributes().get(ErgateTracing.WORKFLOW)).isEqualTo("orders");
                assertThat(step.getAttributes().get(ErgateTracing.JOB_ID)).isEqualTo(id.toString());
                assertThat(step.getAttributes().get(ErgateTracing.ATTEMPT)).isEqualTo(1L);
                assertThat(step.getAttributes().get(ErgateTracing.OUTCOME))
                        .isEqualTo(name.equals("ship") ? "completed" : "next");
                assertThat(currentInStep.get(id + "/" + name).getSpanId())
                        .as("the span current in %s's code", name).isEqualTo(step.getSpanId());
                if (name.equals("validate")) {
                    validateThreads.add(step.getAttributes().get(ErgateTracing.THREAD_NAME));
                }
            }
        });
        assertThat(validateThreads).as("threads that ran the two validate steps").hasSize(2);
    }

    List<SpanData> stepSpans() {
        List<SpanData> steps = new ArrayList<>();
        for (SpanData span : exporter.getFinishedSpanItems()) {
            if (span.getKind() == SpanKind.CONSUMER) {
                steps.add(span);
            }
        }
        return steps;
    }

    @Override
    public void close() {
        sdk.close();
    }
}
