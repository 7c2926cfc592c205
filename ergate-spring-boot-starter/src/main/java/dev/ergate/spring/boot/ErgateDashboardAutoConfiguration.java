package dev.ergate.spring.boot;

import dev.ergate.dashboard.DashboardOptions;
import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.QueueStats;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code ergate.dashboard.enabled=true}: the Ergate dashboard beside the application, on its own
 * port, over the backend's {@link JobAdmin} bean. Without ergate-dashboard on the class path, or
 * without a JobAdmin, start-up fails saying so.
 */
@AutoConfiguration(after = ErgateAutoConfiguration.class)
@ConditionalOnProperty(name = "ergate.dashboard.enabled", havingValue = "true")
public class ErgateDashboardAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.ergate.dashboard.ErgateDashboard")
    static class Present {

        @Bean
        @ConditionalOnMissingBean
        ErgateDashboardLifecycle ergateDashboard(ErgateProperties properties, ObjectProvider<JobAdmin> admins,
                ObjectProvider<JobQueue> queues) {
            JobAdmin admin = admins.getIfUnique();
            if (admin == null) {
                throw new InvalidConfigurationPropertyValueException("ergate.dashboard.enabled", true,
                        "the dashboard needs the backend's JobAdmin, and there is no single JobAdmin bean"
                                + " (ergate.backend=" + properties.getBackend() + "): define one");
            }
            JobQueue queue = queues.getIfUnique();
            QueueStats stats = queue instanceof QueueStats queueStats ? queueStats : null;
            return new ErgateDashboardLifecycle(admin, stats, options(properties.getDashboard()));
        }

        private static DashboardOptions options(ErgateProperties.Dashboard dashboard) {
            PropertyChecks.check("ergate.dashboard.host", dashboard.getHost(),
                    () -> DashboardOptions.builder().host(dashboard.getHost()).build());
            PropertyChecks.check("ergate.dashboard.title", dashboard.getTitle(),
                    () -> DashboardOptions.builder().title(dashboard.getTitle()).build());
            PropertyChecks.check("ergate.dashboard.token", "(hidden)",
                    () -> DashboardOptions.builder().token(dashboard.getToken()).build());
            DashboardOptions.Builder builder = DashboardOptions.builder()
                    .host(dashboard.getHost())
                    .port(dashboard.getPort())
                    .readOnly(dashboard.isReadOnly())
                    .title(dashboard.getTitle())
                    .token(dashboard.getToken());
            String user = dashboard.getBasicUser();
            String password = dashboard.getBasicPassword();
            if (user != null && password != null) {
                PropertyChecks.check("ergate.dashboard.basic-user", user,
                        () -> DashboardOptions.builder().basicAuth(user, password).build());
                builder.basicAuth(user, password);
            }
            return builder.build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("dev.ergate.dashboard.ErgateDashboard")
    static class Missing {

        @Bean
        Object ergateDashboardMissing() {
            throw new InvalidConfigurationPropertyValueException("ergate.dashboard.enabled", true,
                    "it needs dev.ergate:ergate-dashboard on the class path: add that dependency");
        }
    }
}
