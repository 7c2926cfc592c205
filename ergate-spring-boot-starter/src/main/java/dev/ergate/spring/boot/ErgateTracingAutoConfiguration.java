package dev.ergate.spring.boot;

import dev.ergate.opentelemetry.ErgateTracing;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * With ergate-opentelemetry on the class path and an {@link OpenTelemetry} bean (Spring Boot's
 * OpenTelemetry support makes one): {@link ErgateTracing} as a bean, which the client uses as a
 * submit hook and the worker as an interceptor and listener, so a job's steps are spans of the
 * trace it was submitted in.
 */
@AutoConfiguration(after = ErgateAutoConfiguration.class, afterName = {
    "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.opentelemetry.OpenTelemetryAutoConfiguration"})
@ConditionalOnClass({ErgateTracing.class, OpenTelemetry.class})
@ConditionalOnBean(OpenTelemetry.class)
public class ErgateTracingAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ErgateTracing ergateTracing(OpenTelemetry openTelemetry) {
        return ErgateTracing.create(openTelemetry);
    }
}
