package dev.ergate.spring.boot;

import dev.ergate.micrometer.ErgateGauges;
import dev.ergate.micrometer.ErgateMetrics;
import dev.ergate.spi.JobQueue;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * With ergate-micrometer on the class path and a {@link MeterRegistry} bean (Spring Boot's
 * actuator makes one): {@link ErgateMetrics} as a bean, so the worker reports to it as a listener
 * and the client as a submit hook, and the worker's and queue's gauges bound to the registry.
 */
@AutoConfiguration(after = ErgateAutoConfiguration.class, afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({ErgateMetrics.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
public class ErgateMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ErgateMetrics ergateMetrics(MeterRegistry registry) {
        return new ErgateMetrics(registry);
    }

    @Bean
    ErgateGaugesBinding ergateGauges(MeterRegistry registry, ErgateProperties properties,
            ObjectProvider<JobQueue> queues, ObjectProvider<ErgateWorker> workers) {
        JobQueue queue = queues.getIfUnique();
        ErgateWorker worker = workers.getIfUnique();
        ErgateGauges gauges = null;
        if (worker != null) {
            gauges = ErgateGauges.of(worker.ergate());
            if (queue != null) {
                gauges.queue(QueueNames.of(properties, queue), queue);
            }
        } else if (queue != null) {
            gauges = ErgateGauges.ofQueue(QueueNames.of(properties, queue), queue);
        }
        if (gauges != null) {
            gauges.bindTo(registry);
        }
        return new ErgateGaugesBinding();
    }

    /**
     * Marks that the gauges are bound; not itself a {@code MeterBinder}, so Spring Boot does not
     * bind them a second time.
     */
    static final class ErgateGaugesBinding {
    }
}
