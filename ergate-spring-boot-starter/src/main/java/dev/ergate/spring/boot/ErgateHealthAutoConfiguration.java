package dev.ergate.spring.boot;

import dev.ergate.spi.JobQueue;
import dev.ergate.spi.StateStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code ergate} health indicator, with Spring Boot's health support on the class path (actuator). */
@AutoConfiguration(after = ErgateAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean({JobQueue.class, StateStore.class})
@ConditionalOnEnabledHealthIndicator("ergate")
public class ErgateHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "ergateHealthIndicator")
    ErgateHealthIndicator ergateHealthIndicator(JobQueue queue, StateStore store, ObjectProvider<ErgateWorker> worker) {
        return new ErgateHealthIndicator(queue, store, worker.getIfAvailable());
    }
}
