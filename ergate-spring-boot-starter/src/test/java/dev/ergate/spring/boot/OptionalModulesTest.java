package dev.ergate.spring.boot;

import static dev.ergate.spring.boot.ErgateAutoConfigurationTest.awaitFinal;
import static dev.ergate.spring.boot.ErgateAutoConfigurationTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.JobStatus;
import dev.ergate.dashboard.ErgateDashboard;
import dev.ergate.micrometer.ErgateMetrics;
import dev.ergate.opentelemetry.ErgateTracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import dev.ergate.runtime.ErgateClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** ergate-micrometer, ergate-opentelemetry and ergate-dashboard: wired when present (and asked for), absent otherwise. */
class OptionalModulesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ErgateAutoConfiguration.class, ErgateMetricsAutoConfiguration.class,
                    ErgateDashboardAutoConfiguration.class, ErgateTracingAutoConfiguration.class))
            .withUserConfiguration(TestWorkflows.class)
            .withPropertyValues("ergate.backend=memory", "ergate.worker.concurrency=2", "ergate.worker.poll-timeout=50ms");

    @Test
    void metricsGoToTheApplicationsMeterRegistry() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).hasSingleBean(ErgateMetrics.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            ErgateClient client = context.getBean(ErgateClient.class);
            assertThat(awaitFinal(client, client.submit("priced", new TestWorkflows.Order("o-1", 1))).status())
                    .isEqualTo(JobStatus.COMPLETED);
            org.awaitility.Awaitility.await().untilAsserted(() -> {
                assertThat(registry.find("ergate.steps").counters().stream().mapToDouble(c -> c.count()).sum())
                        .isEqualTo(2.0);                                  // the worker's listener
                assertThat(registry.find("ergate.job.duration").timer()).isNotNull(); // the client's submit hook
            });
            assertThat(registry.find("ergate.queue.messages").tag("queue", "memory").gauges()).hasSize(4);
        });
    }

    @Test
    void noMetricsWithoutAMeterRegistryOrWithoutErgateMicrometer() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ErgateMetrics.class));
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withClassLoader(new FilteredClassLoader(ErgateMetrics.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ErgateMetrics.class));
    }

    @Test
    void stepsAreSpansOfTheTraceTheJobWasSubmittedIn() {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        runner.withBean(OpenTelemetry.class, () -> sdk).run(context -> {
            assertThat(context).hasSingleBean(ErgateTracing.class);
            ErgateClient client = context.getBean(ErgateClient.class);
            assertThat(awaitFinal(client, client.submit("priced", new TestWorkflows.Order("o-1", 1))).status())
                    .isEqualTo(JobStatus.COMPLETED);
            org.awaitility.Awaitility.await().untilAsserted(() -> {
                List<SpanData> finished = spans.getFinishedSpanItems();
                assertThat(finished).extracting(SpanData::getName)
                        .contains("submit priced", "priced price", "priced receipt");
                assertThat(finished).extracting(SpanData::getTraceId).containsOnly(finished.get(0).getTraceId());
            });
        });
        sdk.close();
    }

    @Test
    void noTracingWithoutAnOpenTelemetryBeanOrWithoutErgateOpentelemetry() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ErgateTracing.class));
        runner.withBean(OpenTelemetry.class, OpenTelemetry::noop)
                .withClassLoader(new FilteredClassLoader(ErgateTracing.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ErgateTracing.class));
    }

    @Test
    void dashboardStartsWhenEnabled() {
        runner.withPropertyValues("ergate.dashboard.enabled=true", "ergate.dashboard.port=0",
                "ergate.dashboard.title=Orders").run(context -> {
            ErgateDashboardLifecycle dashboard = context.getBean(ErgateDashboardLifecycle.class);
            assertThat(dashboard.isRunning()).isTrue();
            URI uri = dashboard.uri();
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Orders");
        });
    }

    @Test
    void noDashboardUnlessEnabled() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ErgateDashboardLifecycle.class));
    }

    @Test
    void dashboardEnabledWithoutErgateDashboardFailsNamingTheArtifact() {
        runner.withPropertyValues("ergate.dashboard.enabled=true")
                .withClassLoader(new FilteredClassLoader(ErgateDashboard.class))
                .run(context -> assertThat(failure(context)).contains("ergate.dashboard.enabled",
                        "dev.ergate:ergate-dashboard"));
    }

    @Test
    void badDashboardSettingsFailNamingTheProperty() {
        runner.withPropertyValues("ergate.dashboard.enabled=true", "ergate.dashboard.basic-user=admin")
                .run(context -> assertThat(failure(context)).contains("ergate.dashboard.basic-user"));
        runner.withPropertyValues("ergate.dashboard.enabled=true", "ergate.dashboard.port=70000")
                .run(context -> assertThat(failure(context)).contains("ergate.dashboard.port"));
    }
}
