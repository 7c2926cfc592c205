package dev.ergate.examples.spring;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The sample's redis profile, under a key prefix of its own. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sample.step-time=10ms", "ergate.worker.poll-timeout=100ms", "ergate.dashboard.port=0"})
@ActiveProfiles("redis")
@DirtiesContext
class OrderApplicationRedisTest extends OrderOverHttpContract {

    /** Deletes the test's keys when the context closes, after the worker has stopped. */
    @TestConfiguration
    static class DeleteKeys {
        @Bean
        DisposableBean deleteKeysOnClose() {
            return () -> SampleServices.deleteRedisNamespace(redisUri, NAMESPACE);
        }
    }

    private static final String NAMESPACE = SampleServices.randomName("sample-test-");
    private static String redisUri;

    @BeforeAll
    static void needsRedis() {
        redisUri = SampleServices.redisUri();
    }

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("ergate.redis.uri", () -> redisUri);
        registry.add("ergate.redis.namespace", () -> NAMESPACE);
    }
}
