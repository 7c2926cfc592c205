package dev.ergate.spring.boot;

import dev.ergate.runtime.Dependencies;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.runtime.ErgateListener;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.RetryPolicy;
import dev.ergate.runtime.StepInterceptor;
import dev.ergate.runtime.SubmitHook;
import dev.ergate.runtime.Workflow;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.StateStore;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Ergate from {@code ergate.*} properties: the backend's queue and store, an {@link ErgateClient}
 * (with every {@link SubmitHook} bean),
 * and (unless {@code ergate.worker.enabled=false}) an {@link ErgateWorker} running every workflow
 * bean (with every {@link ErgateListener} and {@link StepInterceptor} bean), whose steps can ask
 * for any bean of the context.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
    "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"})
@EnableConfigurationProperties(ErgateProperties.class)
// the stores' configurations first: SQS's admin wraps the store's admin bean
@Import({RedisBackendConfiguration.class, PostgresBackendConfiguration.class, MemoryBackendConfiguration.class,
    SqsBackendConfiguration.class})
public class ErgateAutoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ErgateAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    ErgateClient ergateClient(ErgateProperties properties, ObjectProvider<JobQueue> queues,
            ObjectProvider<StateStore> stores, ObjectProvider<SubmitHook> submitHooks, ResourceLoader resources) {
        ClassLoader classLoader = resources.getClassLoader();
        ErgateClient.Builder builder = ErgateClient.builder(queue(properties, queues, classLoader))
                .store(store(properties, stores, classLoader));
        submitHooks.orderedStream().forEach(builder::submitHook);
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "ergate.worker.enabled", havingValue = "true", matchIfMissing = true)
    ErgateWorker ergateWorker(ErgateProperties properties, ObjectProvider<JobQueue> queues,
            ObjectProvider<StateStore> stores, ListableBeanFactory beans, ObjectProvider<Dependencies> dependencies,
            ObjectProvider<ErgateListener> listeners, ObjectProvider<StepInterceptor> interceptors,
            ObjectProvider<ErgateWorkerCustomizer> customizers,
            Environment environment, ResourceLoader resources) {
        JobQueue queue = queue(properties, queues, resources.getClassLoader());
        StateStore store = store(properties, stores, resources.getClassLoader());
        ErgateOptions options = options(properties);
        warnIfDrainOutlastsShutdownPhase(options.drainTimeout(), environment);
        RetryPolicy defaultRetry = retryPolicy(properties.getRetry());
        Dependencies.Builder deps = Dependencies.builder();
        dependencies.orderedStream().forEach(deps::addAll);
        deps.fallback(new SpringDependencyLookup(beans));
        Dependencies resolved = deps.build();
        return new ErgateWorker(() -> {
            Ergate.Builder builder = Ergate.builder(queue, store).options(options).dependencies(resolved);
            listeners.orderedStream().forEach(builder::listener);
            interceptors.orderedStream().forEach(builder::interceptor);
            customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
            Ergate ergate = builder.build();
            List<Workflow> workflows = WorkflowBeans.find(beans, defaultRetry);
            workflows.forEach(ergate::registerWorkflow);
            return ergate;
        });
    }

    static ErgateOptions options(ErgateProperties properties) {
        ErgateProperties.Worker worker = properties.getWorker();
        ErgateProperties.Worker.BackendRetry retry = worker.getBackendRetry();
        return ErgateOptions.builder()
                .concurrency(PropertyChecks.concurrency(properties))
                .pollTimeout(worker.getPollTimeout())
                .drainTimeout(worker.getDrainTimeout())
                .afterStepStatus(worker.getAfterStepStatus())
                .maxDeliveries(worker.getMaxDeliveries())
                .checkCancellation(worker.isCheckCancellation())
                .backendRetryDelays(retry.getInitialDelay(), retry.getMaxDelay())
                .backendRetryAttempts(retry.getAttempts())
                .handleSignals(false) // Spring's shutdown hook stops the worker through its lifecycle
                .build();
    }

    static @Nullable RetryPolicy retryPolicy(ErgateProperties.Retry retry) {
        if (retry.getMaxAttempts() <= 1) {
            return null;
        }
        return RetryPolicy.builder()
                .maxAttempts(retry.getMaxAttempts())
                .initialDelay(retry.getInitialDelay())
                .multiplier(retry.getMultiplier())
                .maxDelay(retry.getMaxDelay())
                .jitter(retry.getJitter())
                .build();
    }

    static JobQueue queue(ErgateProperties properties, ObjectProvider<JobQueue> queues,
            @Nullable ClassLoader classLoader) {
        JobQueue queue = queues.getIfUnique();
        if (queue == null) {
            throw queues.stream().count() > 1
                    ? new IllegalStateException("there is more than one JobQueue bean: mark the one Ergate uses @Primary")
                    : MissingBackend.queue(properties, classLoader);
        }
        return queue;
    }

    static StateStore store(ErgateProperties properties, ObjectProvider<StateStore> stores,
            @Nullable ClassLoader classLoader) {
        StateStore store = stores.getIfUnique();
        if (store == null) {
            throw stores.stream().count() > 1
                    ? new IllegalStateException("there is more than one StateStore bean: mark the one Ergate uses @Primary")
                    : MissingBackend.store(properties, classLoader);
        }
        return store;
    }

    /** A drain cut short by Spring would close the backend under steps that are still finishing. */
    private static void warnIfDrainOutlastsShutdownPhase(Duration drainTimeout, Environment environment) {
        Duration phase = environment.getProperty("spring.lifecycle.timeout-per-shutdown-phase", Duration.class,
                Duration.ofSeconds(30));
        if (drainTimeout.plusSeconds(1).compareTo(phase) > 0) {
            LOG.warn("ergate.worker.drain-timeout ({}) plus a second is longer than spring.lifecycle."
                    + "timeout-per-shutdown-phase ({}): Spring may close the backend before the steps have drained;"
                    + " raise the latter", drainTimeout, phase);
        }
    }
}
