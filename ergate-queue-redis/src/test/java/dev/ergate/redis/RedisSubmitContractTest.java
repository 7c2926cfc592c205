package dev.ergate.redis;

import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.testkit.contract.SubmitContract;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;

/** The submit contract on Redis: queue and store of one backend, so one script per submit call. */
@DisplayName("RedisJobQueue and RedisJobStore pass the submit contract")
class RedisSubmitContractTest extends SubmitContract {

    private static final long MAX_BYTES = 64 * 1024;
    private static RedisFixture fixture;
    private @Nullable RedisBackend backend;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("submit-contract");
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void newBackend() {
        backend = fixture.backend();
    }

    private RedisBackend backend() {
        if (backend == null) {
            throw new IllegalStateException("no backend before the test");
        }
        return backend;
    }

    @Override
    protected JobQueue newQueue() {
        return backend().queue(RedisQueueOptions.builder().maxJobBytes(MAX_BYTES).build());
    }

    @Override
    protected JobStore newStore() {
        return backend().store();
    }

    @Override
    protected boolean atomic() {
        return true;
    }

    @Override
    protected OptionalLong maxJobBytes() {
        return OptionalLong.of(MAX_BYTES);
    }
}
