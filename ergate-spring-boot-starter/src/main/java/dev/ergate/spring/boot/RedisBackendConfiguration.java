package dev.ergate.spring.boot;

import dev.ergate.redis.RedisBackend;
import dev.ergate.redis.RedisJobAdmin;
import dev.ergate.redis.RedisJobQueue;
import dev.ergate.redis.RedisJobStore;
import dev.ergate.redis.RedisOptions;
import dev.ergate.redis.RedisQueueOptions;
import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.StateStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;

/** Redis: {@code ergate.backend=redis}, or the job store under {@code ergate.sqs.store=redis}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(RedisBackend.class)
@Conditional(UsesBackend.Redis.class)
class RedisBackendConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    RedisBackend ergateRedisBackend(ErgateProperties properties) {
        ErgateProperties.Redis redis = properties.getRedis();
        String uri = redis.getUri();
        PropertyChecks.check("ergate.redis.uri", PropertyChecks.redact(uri), () -> RedisOptions.fromUri(uri));
        PropertyChecks.check("ergate.redis.namespace", redis.getNamespace(),
                () -> RedisOptions.builder().namespace(redis.getNamespace()).build());
        int poolSize = redis.getPoolSize() != null ? redis.getPoolSize()
                : Math.max(32, PropertyChecks.concurrency(properties) + 8);
        return RedisBackend.connect(RedisOptions.fromUri(uri).toBuilder()
                .namespace(redis.getNamespace())
                .poolSize(poolSize)
                .codec(PropertyChecks.codec(properties))
                .build());
    }

    @Bean
    @ConditionalOnMissingBean(StateStore.class)
    RedisJobStore ergateRedisStore(RedisBackend redis) {
        return redis.store();
    }

    @Bean(AdminBeans.STORE_ADMIN)
    @ConditionalOnMissingBean(JobAdmin.class)
    @ConditionalOnBean(RedisJobStore.class)
    RedisJobAdmin ergateRedisAdmin(RedisBackend redis, RedisJobStore store, ErgateProperties properties,
            ObjectProvider<JobQueue> queues, ResourceLoader resources) {
        return redis.admin(store, ErgateAutoConfiguration.queue(properties, queues, resources.getClassLoader()));
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(JobQueue.class)
    @ConditionalOnProperty(name = "ergate.backend", havingValue = "redis")
    RedisJobQueue ergateRedisQueue(RedisBackend redis, ErgateProperties properties) {
        String name = properties.getRedis().getQueue();
        PropertyChecks.check("ergate.redis.queue", name, () -> RedisQueueOptions.builder().name(name).build());
        return redis.queue(RedisQueueOptions.builder().name(name).leaseTime(properties.getLease()).build());
    }
}
