package dev.ergate.redis;

import dev.ergate.spi.JobQueue;
import dev.ergate.spi.StateStore;
import dev.ergate.testkit.contract.EndToEndContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

/**
 * A real Ergate worker with several threads over a Redis queue and a Redis store of the same
 * backend, so every step ends with the atomic Lua finish.
 */
@DisplayName("Ergate on Redis passes the end-to-end contract")
class RedisEndToEndTest extends EndToEndContract {

    private static RedisFixture fixture;
    private RedisBackend current;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("e2e");
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** A backend (namespace) of its own per test; {@link #newStore()} gives its store. */
    @Override
    protected JobQueue newQueue(Duration leaseTime) {
        current = fixture.backend();
        return current.queue(RedisQueueOptions.builder().leaseTime(leaseTime).build());
    }

    /** The store of the queue's backend, so the worker finishes steps atomically. */
    @Override
    protected StateStore newStore() {
        if (current == null) {
            throw new IllegalStateException("newQueue must come first: the store shares the queue's backend");
        }
        return current.store();
    }

    @Override
    protected int workerThreads() {
        return 6;
    }
}
