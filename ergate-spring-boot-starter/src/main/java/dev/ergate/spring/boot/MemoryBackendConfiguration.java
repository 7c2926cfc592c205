package dev.ergate.spring.boot;

import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.StateStore;
import dev.ergate.testkit.InMemoryJobAdmin;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.InMemoryJobStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;

/**
 * In memory (ergate-testkit): {@code ergate.backend=memory}, or the job store under {@code
 * ergate.sqs.store=memory}. One JVM only: for tests and demos.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(InMemoryJobQueue.class)
@Conditional(UsesBackend.Memory.class)
class MemoryBackendConfiguration {

    @Bean
    @ConditionalOnMissingBean(StateStore.class)
    InMemoryJobStore ergateMemoryStore() {
        return InMemoryJobStore.create();
    }

    @Bean
    @ConditionalOnMissingBean(JobQueue.class)
    @ConditionalOnProperty(name = "ergate.backend", havingValue = "memory")
    InMemoryJobQueue ergateMemoryQueue(ErgateProperties properties) {
        return InMemoryJobQueue.builder().leaseTime(properties.getLease()).build();
    }

    @Bean(AdminBeans.STORE_ADMIN)
    @ConditionalOnMissingBean(JobAdmin.class)
    @ConditionalOnBean(InMemoryJobStore.class)
    InMemoryJobAdmin ergateMemoryAdmin(InMemoryJobStore store, ErgateProperties properties,
            ObjectProvider<JobQueue> queues, ResourceLoader resources) {
        JobQueue queue = ErgateAutoConfiguration.queue(properties, queues, resources.getClassLoader());
        return queue instanceof InMemoryJobQueue memoryQueue
                ? InMemoryJobAdmin.of(store, memoryQueue)
                : InMemoryJobAdmin.forStore(store, queue);
    }
}
