package dev.ergate.redis;

import dev.ergate.spi.DeadLetter;
import dev.ergate.spi.JobQueue;
import dev.ergate.testkit.contract.JobQueueContract;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

@DisplayName("RedisJobQueue passes the JobQueue contract")
class RedisJobQueueContractTest extends JobQueueContract {

    private static final long MAX_BYTES = 1024 * 1024;
    private static final AtomicInteger QUEUES = new AtomicInteger();
    private static RedisFixture fixture;
    private static RedisBackend backend;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("queue-contract");
        backend = fixture.backend(RedisOptions.builder().poolSize(32));
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** Each queue has a name of its own in the class's namespace, so tests never share keys. */
    @Override
    protected JobQueue newQueue(Duration leaseTime) {
        return backend.queue(RedisQueueOptions.builder()
                .name("contract-" + QUEUES.incrementAndGet())
                .leaseTime(leaseTime)
                .maxJobBytes(MAX_BYTES)
                .build());
    }

    /** A broken producer: RPUSH onto the ready list, as another program would. */
    @Override
    protected boolean putRaw(JobQueue queue, byte[] message) {
        byte[] ready = ((RedisJobQueue) queue).keys().ready().getBytes(StandardCharsets.UTF_8);
        fixture.raw().rpush(ready, message);
        return true;
    }

    @Override
    protected List<String> deadLetters(JobQueue queue) {
        return ((RedisJobQueue) queue).deadLetters(10_000).stream().map(DeadLetter::body).toList();
    }

    @Override
    protected OptionalLong maxJobBytes() {
        return OptionalLong.of(MAX_BYTES);
    }

    /** Strict priorities: the ranked zset before the ready list (lib.lua, make_ready). */
    @Override
    protected boolean supportsPriorities() {
        return true;
    }

    @Override
    protected Duration timingSlack() {
        return Duration.ofSeconds(1);
    }
}
