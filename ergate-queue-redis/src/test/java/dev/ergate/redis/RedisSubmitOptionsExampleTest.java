package dev.ergate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.JobId;
import dev.ergate.runtime.DuplicateJobException;
import dev.ergate.runtime.ErgateClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The runtime README's "Priorities and unique keys" example (the same lines as the testkit's
 * {@code SubmitOptionsReadmeExampleTest}) on a Redis queue and store: the urgent job is taken
 * first, the second submit of a held key returns the holder, {@code failIfExists} throws, and
 * the key with a hold is refused again.
 */
@DisplayName("runtime README: priorities and unique keys, on Redis")
class RedisSubmitOptionsExampleTest {

    private static RedisFixture fixture;

    record Invoice(int number) {
    }

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("readme-submit");
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void example() throws InterruptedException {
        RedisBackend redis = fixture.backend();
        RedisJobQueue queue = redis.queue();
        ErgateClient client = ErgateClient.builder(queue).store(redis.store()).build();
        Invoice invoice = new Invoice(42);
        JobId existing = null;

        // --- README begins
        JobId routine = client.submit("invoice").input(invoice).submit();
        JobId urgent = client.submit("invoice").input(invoice).priority(10).submit();  // taken before routine

        JobId first = client.submit("invoice").input(invoice).uniqueKey("invoice-42").submit();
        JobId again = client.submit("invoice").input(invoice).uniqueKey("invoice-42").submit();  // == first
        try {
            client.submit("invoice").input(invoice).uniqueKey("invoice-42").failIfExists().submit();
        } catch (DuplicateJobException e) {
            System.out.println("already there: " + e.existingId());
            existing = e.existingId();
        }
        client.submit("daily-report").uniqueKey("report-2026-12-03", Duration.ofHours(24)).submit();
        // --- README ends

        assertThat(queue.take(Duration.ofSeconds(5)).orElseThrow().job().id()).isEqualTo(urgent);
        assertThat(queue.take(Duration.ofSeconds(5)).orElseThrow().job().id()).isEqualTo(routine);
        assertThat(again).isEqualTo(first);
        assertThat(existing).isEqualTo(first);
        JobId report = client.submit("daily-report").uniqueKey("report-2026-12-03").submit();
        assertThat(client.submit("daily-report").uniqueKey("report-2026-12-03", Duration.ofHours(24)).submit())
                .isEqualTo(report);
    }
}
