package dev.ergate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.Job;
import dev.ergate.JobStatus;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.ErgatePublisher;
import dev.ergate.runtime.Workflow;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The "publisher and await on Redis" example of the runtime README, kept compiling and passing here. */
@DisplayName("runtime README: the publisher and await on Redis")
class RedisReadmePublisherExampleTest {

    private static RedisFixture fixture;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("readme-publisher");
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void example() {
        RedisBackend redis = fixture.backend();
        Workflow orders = Workflow.builder("orders")
                .step("price", Integer.class, (quantity, ctx) -> quantity * 250)
                .step("confirm", Integer.class, (cents, ctx) -> "charged " + cents)
                .build();

        // --- README begins
        RedisJobStore store = redis.store();
        RedisJobQueue queue = redis.queue();
        // workers leave a job PENDING after each step; a publisher (any number, anywhere) queues it
        Ergate worker = Ergate.builder(queue, store)
                .options(ErgateOptions.builder().afterStepStatus(JobStatus.PENDING).build())
                .build()
                .registerWorkflow(orders);
        ErgatePublisher publisher = ErgatePublisher.builder(RedisJobSource.over(store), queue).build();
        // await is woken by the store's scripts (Redis pub/sub) instead of waiting for a poll
        RedisFinalStateNotifier notifier = RedisFinalStateNotifier.over(store);
        ErgateClient client = ErgateClient.builder(queue).store(store).finalStateNotifier(notifier).build();
        worker.start();
        publisher.start();
        Job done = client.submit("orders").input(3).submitAndAwait(Duration.ofSeconds(30)).join();
        // --- README ends

        try {
            assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(done.lastReturnValue().textValue()).isEqualTo("charged 750");
        } finally {
            publisher.close();
            worker.close();
            notifier.close();
        }
    }
}
