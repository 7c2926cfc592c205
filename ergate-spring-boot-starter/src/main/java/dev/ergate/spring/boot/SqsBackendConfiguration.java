package dev.ergate.spring.boot;

import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.StateStore;
import dev.ergate.sqs.SqsBackend;
import dev.ergate.sqs.SqsJobAdmin;
import dev.ergate.sqs.SqsJobQueue;
import dev.ergate.sqs.SqsOptions;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * SQS: {@code ergate.backend=sqs}, the queue of {@code ergate.sqs.uri}; the job store comes from
 * {@code ergate.sqs.store}. An {@link SqsClient} bean of the application is used when there is one.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(SqsBackend.class)
@ConditionalOnProperty(name = "ergate.backend", havingValue = "sqs")
class SqsBackendConfiguration {

    /** The backend: the application's {@link SqsClient} bean when there is one, else a client of its own. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(SqsBackend.class)
    SqsBackend ergateSqsBackend(ErgateProperties properties, ObjectProvider<SqsClient> clients) {
        String uri = Objects.requireNonNull(properties.getSqs().getUri(), "checked by ErgateProperties");
        SqsClient client = clients.getIfUnique();
        if (client != null) {
            return SqsBackend.create(client, SqsOptions.builder().codec(PropertyChecks.codec(properties)).build());
        }
        return PropertyChecks.build("ergate.sqs.uri", uri, () -> SqsBackend.connect(uri, PropertyChecks.codec(properties)));
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(JobQueue.class)
    SqsJobQueue ergateSqsQueue(ErgateProperties properties, SqsBackend backend) {
        String uri = Objects.requireNonNull(properties.getSqs().getUri(), "checked by ErgateProperties");
        String withLease = withLease(uri, properties);
        return PropertyChecks.build("ergate.sqs.uri", uri, () -> backend.queue(withLease));
    }

    /**
     * The store's admin (jobs) with SQS's dead-letter queue (dead letters), in front of the store's
     * own admin bean.
     */
    @Bean
    @Primary
    @ConditionalOnBean(name = AdminBeans.STORE_ADMIN)
    SqsJobAdmin ergateSqsAdmin(SqsJobQueue queue, @Qualifier(AdminBeans.STORE_ADMIN) JobAdmin storeAdmin,
            StateStore store) {
        if (!(store instanceof JobStore jobStore)) {
            throw new IllegalStateException("the job store " + store.getClass().getName() + " can't be read, so SQS's"
                    + " admin can't requeue: define a JobAdmin bean of your own");
        }
        return SqsJobAdmin.of(queue, storeAdmin, jobStore);
    }

    /** The URI's own leaseSeconds wins; otherwise ergate.lease, in whole seconds as SQS counts. */
    private static String withLease(String uri, ErgateProperties properties) {
        if (uri.contains("leaseSeconds=")) {
            return uri;
        }
        return uri + (uri.contains("?") ? "&" : "?") + "leaseSeconds=" + properties.getLease().toSeconds();
    }
}
