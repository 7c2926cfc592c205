package dev.ergate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.runtime.Workflow;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.StateStore;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.InMemoryJobStore;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration's conditions on the in-memory backend, and what fails start-up. */
class ErgateAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ErgateAutoConfiguration.class, ErgateHealthAutoConfiguration.class))
            .withUserConfiguration(TestWorkflows.class)
            .withPropertyValues("ergate.worker.concurrency=2", "ergate.worker.poll-timeout=50ms");

    static Job awaitFinal(ErgateClient client, JobId id) {
        return await().atMost(Duration.ofSeconds(15)).until(
                () -> client.find(id).orElse(null), job -> job != null && job.status().isFinal());
    }

    static String failure(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        StringBuilder text = new StringBuilder();
        for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
            text.append(t.getMessage()).append('\n');
        }
        return text.toString();
    }

    @Test
    void memoryBackendRunsAnnotatedAndBuilderWorkflowsWithSpringBeansAsDependencies() {
        runner.withPropertyValues("ergate.backend=memory").run(context -> {
            assertThat(context).hasSingleBean(ErgateClient.class).hasSingleBean(ErgateWorker.class)
                    .hasSingleBean(InMemoryJobQueue.class).hasSingleBean(InMemoryJobStore.class)
                    .hasSingleBean(dev.ergate.testkit.InMemoryJobAdmin.class);
            ErgateWorker worker = context.getBean(ErgateWorker.class);
            assertThat(worker.isRunning()).isTrue();
            assertThat(worker.ergate().workflows()).containsOnlyKeys("priced", "greet", "flaky");
            ErgateClient client = context.getBean(ErgateClient.class);

            Job priced = awaitFinal(client, client.submit("priced", new TestWorkflows.Order("o-1", 3)));
            assertThat(priced.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(priced.lastReturnValue().asText()).isEqualTo("total 30");   // @Depends Pricing bean

            Job greeted = awaitFinal(client, client.submit("greet", "ada"));
            assertThat(greeted.lastReturnValue().asText()).isEqualTo("hello ada"); // ctx.dependency(Greeter)
        });
    }

    @Test
    void workerStopsWithTheContextAfterItsRunningStepFinishes() {
        CountDownLatch started = new CountDownLatch(1);
        runner.withPropertyValues("ergate.backend=memory")
                .withBean("slowWorkflow", Workflow.class, () -> Workflow.builder("slow")
                        .step("wait", String.class, (value, ctx) -> {
                            started.countDown();
                            Thread.sleep(400); // the step's own work, which the drain must let finish
                            return "done " + value;
                        })
                        .build())
                .run(context -> {
                    ErgateClient client = context.getBean(ErgateClient.class);
                    InMemoryJobStore store = context.getBean(InMemoryJobStore.class);
                    JobId id = client.submit("slow", "x");
                    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
                    assertThat(context.getBean(ErgateHealthIndicator.class).health(true).getDetails().get("worker")
                            .toString()).contains("busyThreads=1");
                    ErgateWorker worker = context.getBean(ErgateWorker.class);
                    context.close();
                    assertThat(worker.isRunning()).isFalse();
                    Job job = store.find(id).orElseThrow();
                    assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
                    assertThat(job.lastReturnValue().asText()).isEqualTo("done x");
                });
    }

    @Test
    void defaultRetryPolicyAppliesToWorkflowsWithoutTheirOwn() {
        runner.withPropertyValues("ergate.backend=memory", "ergate.retry.max-attempts=2",
                "ergate.retry.initial-delay=10ms", "ergate.retry.max-delay=10ms").run(context -> {
            ErgateClient client = context.getBean(ErgateClient.class);
            Job job = awaitFinal(client, client.submit("flaky", "v"));
            assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(context.getBean(TestWorkflows.Flaky.class).calls).hasValue(2);
        });
    }

    @Test
    void withoutRetryPropertiesAFailingStepFailsTheJob() {
        runner.withPropertyValues("ergate.backend=memory").run(context -> {
            ErgateClient client = context.getBean(ErgateClient.class);
            assertThat(awaitFinal(client, client.submit("flaky", "v")).status()).isEqualTo(JobStatus.FAILED);
        });
    }

    @Test
    void workerDisabledMakesAClientOnlyApplication() {
        runner.withPropertyValues("ergate.backend=memory", "ergate.worker.enabled=false").run(context -> {
            assertThat(context).hasSingleBean(ErgateClient.class).doesNotHaveBean(ErgateWorker.class);
            ErgateClient client = context.getBean(ErgateClient.class);
            JobId id = client.submit("priced", new TestWorkflows.Order("o-2", 1));
            assertThat(context.getBean(InMemoryJobQueue.class).size()).isEqualTo(1);  // queued, nobody takes it
            assertThat(client.find(id).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
            Health health = context.getBean(ErgateHealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("worker", "disabled");
        });
    }

    @Test
    void healthIndicatorReportsTheRunningWorker() {
        runner.withPropertyValues("ergate.backend=memory").run(context -> {
            Health health = context.getBean(ErgateHealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails().get("worker").toString()).contains("running=true", "threads=2");
            context.getBean(ErgateWorker.class).stop();
            assertThat(context.getBean(ErgateHealthIndicator.class).health(true).getStatus())
                    .isEqualTo(Status.OUT_OF_SERVICE);
        });
    }

    @Test
    void noHealthIndicatorWithoutSpringBootHealthOrWhenDisabled() {
        runner.withPropertyValues("ergate.backend=memory")
                .withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ErgateHealthIndicator.class));
        runner.withPropertyValues("ergate.backend=memory", "management.health.ergate.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ErgateHealthIndicator.class));
    }

    @Test
    void applicationQueueAndStoreBeansReplaceTheBackend() {
        runner.withUserConfiguration(OwnBackend.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(JobQueue.class)).isSameAs(context.getBean("myQueue"));
            assertThat(context.getBean(StateStore.class)).isSameAs(context.getBean("myStore"));
            ErgateClient client = context.getBean(ErgateClient.class);
            assertThat(awaitFinal(client, client.submit("greet", "bob")).status()).isEqualTo(JobStatus.COMPLETED);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBackend {
        @Bean
        InMemoryJobQueue myQueue() {
            return InMemoryJobQueue.create();
        }

        @Bean
        InMemoryJobStore myStore() {
            return InMemoryJobStore.create();
        }
    }

    @Test
    void stepInterceptorBeansWrapEveryStep() {
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        runner.withPropertyValues("ergate.backend=memory")
                .withBean(dev.ergate.runtime.StepInterceptor.class, () -> (invocation, proceed) -> {
                    seen.add(invocation.workflow() + "/" + invocation.step());
                    return proceed.proceed();
                })
                .run(context -> {
                    ErgateClient client = context.getBean(ErgateClient.class);
                    assertThat(awaitFinal(client, client.submit("greet", "x")).status()).isEqualTo(JobStatus.COMPLETED);
                    assertThat(seen).containsExactly("greet/greet");
                });
    }

    @Test
    void submitHookBeansSeeEverySubmittedJob() {
        java.util.List<JobId> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        runner.withPropertyValues("ergate.backend=memory", "ergate.worker.enabled=false")
                .withBean(dev.ergate.runtime.SubmitHook.class, () -> job -> {
                    seen.add(job.id());
                    return job;
                })
                .run(context -> {
                    JobId id = context.getBean(ErgateClient.class).submit("greet", "x");
                    assertThat(seen).containsExactly(id);
                });
    }

    @Test
    void noBackendFailsNamingErgateBackend() {
        runner.run(context -> assertThat(failure(context)).contains("ergate.backend")
                .contains("redis, postgres, sqs or memory"));
    }

    @Test
    void unknownBackendFailsNamingTheProperty() {
        runner.withPropertyValues("ergate.backend=mongo")
                .run(context -> assertThat(failure(context)).contains("ergate.backend"));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "redis, dev.ergate.redis.RedisBackend, dev.ergate:ergate-queue-redis",
        "postgres, dev.ergate.jdbc.JdbcBackend, dev.ergate:ergate-store-jdbc",
        "sqs, dev.ergate.sqs.SqsBackend, dev.ergate:ergate-queue-sqs",
        "memory, dev.ergate.testkit.InMemoryJobQueue, dev.ergate:ergate-testkit"})
    void backendWithoutItsAdapterFailsNamingTheArtifact(String backend, String adapterClass, String artifact) {
        runner.withPropertyValues("ergate.backend=" + backend, "ergate.sqs.uri=sqs://q", "ergate.sqs.store=memory")
                .withClassLoader(new FilteredClassLoader(adapterClass))
                .run(context -> assertThat(failure(context)).contains("ergate.backend").contains(artifact));
    }

    @Test
    void outOfRangeValuesFailNamingTheProperty() {
        runner.withPropertyValues("ergate.backend=memory", "ergate.worker.concurrency=0")
                .run(context -> assertThat(failure(context)).contains("ergate.worker.concurrency")
                        .contains("1..1024"));
        runner.withPropertyValues("ergate.backend=memory", "ergate.worker.drain-timeout=soon")
                .run(context -> assertThat(failure(context)).contains("ergate.worker.drain-timeout"));
        runner.withPropertyValues("ergate.backend=memory", "ergate.worker.after-step-status=RUNNING")
                .run(context -> assertThat(failure(context)).contains("ergate.worker.after-step-status"));
        runner.withPropertyValues("ergate.backend=memory", "ergate.lease=0s")
                .run(context -> assertThat(failure(context)).contains("ergate.lease"));
        runner.withPropertyValues("ergate.backend=memory", "ergate.retry.initial-delay=5s", "ergate.retry.max-delay=1s")
                .run(context -> assertThat(failure(context)).contains("ergate.retry.max-delay"));
        runner.withPropertyValues("ergate.backend=memory", "ergate.dialect=python-1999")
                .run(context -> assertThat(failure(context)).contains("ergate.dialect"));
    }

    @Test
    void pythonDialectBindsFromItsKebabName() {
        runner.withPropertyValues("ergate.backend=memory", "ergate.dialect=python-2025", "ergate.worker.enabled=false")
                .run(context -> assertThat(context.getBean(ErgateProperties.class).getDialect())
                        .isEqualTo(dev.ergate.StatusDialect.PYTHON_2025));
    }

    @Test
    void aStepDependencyNoBeanProvidesFailsStartUpNamingTheStep() {
        runner.withPropertyValues("ergate.backend=memory").withBean(NeedsMissingBean.class).run(context ->
                assertThat(failure(context)).contains("workflow 'needy'", "step 'use'", "Runnable"));
    }

    @dev.ergate.runtime.annotations.ErgateWorkflow("needy")
    static class NeedsMissingBean {
        @dev.ergate.runtime.annotations.Step(order = 1)
        String use(@dev.ergate.runtime.annotations.Depends Runnable missing) {
            return "never";
        }
    }
}
