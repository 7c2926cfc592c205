package dev.ergate.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.Job;
import dev.ergate.redis.RedisBackend;
import dev.ergate.redis.RedisOptions;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.JobQueue;
import dev.ergate.testbackends.RedisNamespace;
import dev.ergate.testkit.InMemoryJobQueue;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The queue gauges read the queue's real counts, on memory and on Redis. */
class QueueGaugesTest {

    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);

    @Test
    void theGaugesShowTheInMemoryQueueByState() throws InterruptedException {
        checkGauges(InMemoryJobQueue.create());
    }

    @Test
    void theGaugesShowTheRedisQueueByState() throws InterruptedException {
        try (RedisNamespace keys = RedisNamespace.open("micrometer");
                RedisBackend backend = RedisBackend.connect(RedisOptions.builder().uri(keys.url())
                        .namespace(keys.namespace()).poolSize(8).build())) {
            checkGauges(backend.queue());
        }
    }

    private void checkGauges(JobQueue queue) throws InterruptedException {
        ErgateGauges.ofQueue("orders", queue).bindTo(registry);
        for (int i = 0; i < 3; i++) {
            queue.put(Job.builder().workflowName("orders").id("ready-" + i).build());
        }
        for (int i = 0; i < 2; i++) {
            queue.put(Job.builder().workflowName("orders").id("later-" + i)
                    .requestedStartTime(Instant.now().plus(Duration.ofHours(1))).build());
        }
        assertThat(messages("ready")).isEqualTo(3);
        assertThat(messages("delayed")).isEqualTo(2);
        assertThat(messages("in_flight")).isEqualTo(0);

        Delivery taken = queue.take(Duration.ofSeconds(5)).orElseThrow();
        assertThat(messages("ready")).as("read again within a second: the same reading").isEqualTo(3);
        clock.add(QueueCountsReader.REUSE_MILLIS, TimeUnit.MILLISECONDS);
        assertThat(messages("ready")).isEqualTo(2);
        assertThat(messages("in_flight")).isEqualTo(1);
        taken.ack();
    }

    private double messages(String state) {
        return registry.get("ergate.queue.messages").tags("queue", "orders", "state", state).gauge().value();
    }
}
