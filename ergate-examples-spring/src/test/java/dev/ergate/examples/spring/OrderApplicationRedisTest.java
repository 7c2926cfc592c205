package dev.ergate.examples.spring;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The sample's redis profile, under a key prefix of its own. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sample.step-time=10ms", "ergate.worker.poll-timeout=100ms"})
@ActiveProfiles("redis")
@DirtiesContext
class OrderApplicationRedisTest extends OrderOverHttpContract {

    private static String redisUri;

    @BeforeAll
    static void needsRedis() {
        redisUri = SampleServices.redisUri();
    }

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("ergate.redis.uri", () -> redisUri);
        registry.add("ergate.redis.namespace", () -> SampleServices.randomName("sample-test-"));
    }
}
