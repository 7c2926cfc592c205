package dev.ergate.examples.spring;

import dev.ergate.jdbc.JdbcBackend;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The sample's postgres profile: Ergate on the application's DataSource, in a schema of its own. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sample.step-time=10ms", "ergate.worker.poll-timeout=100ms", "ergate.dashboard.port=0"})
@ActiveProfiles("postgres")
@DirtiesContext
class OrderApplicationPostgresTest extends OrderOverHttpContract {

    private static final String SCHEMA = SampleServices.randomName("sample_test_");
    private static String jdbcUrl;

    @BeforeAll
    static void needsPostgres() {
        jdbcUrl = SampleServices.postgresJdbcUrl();
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> jdbcUrl);
        registry.add("ergate.postgres.schema", () -> SCHEMA);
    }

    /** Drops the schema when the context closes: after the worker has stopped, before the backend. */
    @TestConfiguration
    static class DropSchema {
        @Bean
        DisposableBean dropSchemaOnClose(JdbcBackend postgres) {
            return () -> SampleServices.dropSchema(jdbcUrl, SCHEMA);
        }
    }
}
