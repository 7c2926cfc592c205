package dev.ergate.spring.boot;

import dev.ergate.jdbc.JdbcBackend;
import dev.ergate.jdbc.JdbcJobAdmin;
import dev.ergate.jdbc.JdbcJobQueue;
import dev.ergate.jdbc.JdbcJobStore;
import dev.ergate.jdbc.JdbcOptions;
import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.StateStore;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;

/**
 * PostgreSQL: {@code ergate.backend=postgres}, or the job store under {@code
 * ergate.sqs.store=postgres}. On the application's {@link DataSource} unless {@code
 * ergate.postgres.uri} names a database of Ergate's own.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(JdbcBackend.class)
@Conditional(UsesBackend.Postgres.class)
class PostgresBackendConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    JdbcBackend ergateJdbcBackend(ErgateProperties properties, ObjectProvider<DataSource> dataSources) {
        JdbcOptions options = options(properties);
        String uri = properties.getPostgres().getUri();
        if (uri != null && !uri.isBlank()) {
            return PropertyChecks.build("ergate.postgres.uri", PropertyChecks.redact(uri),
                    () -> JdbcBackend.connect(uri, options));
        }
        DataSource dataSource = dataSources.getIfUnique();
        if (dataSource == null) {
            throw new InvalidConfigurationPropertyValueException("ergate.postgres.uri", null,
                    "there is no single DataSource bean to use: configure spring.datasource.* or set ergate.postgres.uri");
        }
        return JdbcBackend.create(dataSource, options);
    }

    @Bean
    @ConditionalOnMissingBean(StateStore.class)
    JdbcJobStore ergateJdbcStore(JdbcBackend postgres) {
        return postgres.store();
    }

    @Bean(AdminBeans.STORE_ADMIN)
    @ConditionalOnMissingBean(JobAdmin.class)
    @ConditionalOnBean(JdbcJobStore.class)
    JdbcJobAdmin ergateJdbcAdmin(JdbcBackend postgres, ErgateProperties properties, ObjectProvider<JobQueue> queues,
            ResourceLoader resources) {
        return postgres.admin(ErgateAutoConfiguration.queue(properties, queues, resources.getClassLoader()));
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(JobQueue.class)
    @ConditionalOnProperty(name = "ergate.backend", havingValue = "postgres")
    JdbcJobQueue ergateJdbcQueue(JdbcBackend postgres) {
        return postgres.queue();
    }

    private static JdbcOptions options(ErgateProperties properties) {
        ErgateProperties.Postgres pg = properties.getPostgres();
        PropertyChecks.check("ergate.postgres.schema", pg.getSchema(),
                () -> JdbcOptions.builder().schema(pg.getSchema()).build());
        PropertyChecks.check("ergate.postgres.table-prefix", pg.getTablePrefix(),
                () -> JdbcOptions.builder().tablePrefix(pg.getTablePrefix()).build());
        PropertyChecks.check("ergate.postgres.queue", pg.getQueue(),
                () -> JdbcOptions.builder().queueName(pg.getQueue()).build());
        PropertyChecks.check("ergate.lease", properties.getLease(),
                () -> JdbcOptions.builder().leaseTime(properties.getLease()).build());
        int poolSize = pg.getPoolSize() != null ? pg.getPoolSize() : PropertyChecks.concurrency(properties) + 4;
        return JdbcOptions.builder()
                .schema(pg.getSchema())
                .tablePrefix(pg.getTablePrefix())
                .migrateOnStart(pg.isMigrateOnStart())
                .recordHistory(pg.isRecordHistory())
                .queueName(pg.getQueue())
                .leaseTime(properties.getLease())
                .poolSize(poolSize)
                .codec(PropertyChecks.codec(properties))
                .build();
    }
}
