package dev.ergate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.Workflow;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link ErgateClient#await} over a Redis store, which does not notify: the shared poller finds the final state. */
@DisplayName("ErgateClient awaits jobs on Redis")
class RedisClientAwaitTest {

    private static RedisFixture fixture;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("await");
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    @DisplayName("submitAndAwait completes with the final job a real worker wrote; await times out on a stuck one")
    void completesAndTimesOut() {
        RedisBackend backend = fixture.backend();
        ErgateClient client = ErgateClient.builder(backend.queue()).store(backend.store()).build();
        JobId stuck = client.submit("unknown-elsewhere").delay(Duration.ofHours(1)).submit();
        CompletableFuture<Job> stuckWait = client.await(stuck, Duration.ofMillis(300));

        try (Ergate worker = Ergate.builder(backend.queue(), backend.store())
                .options(ErgateOptions.builder().concurrency(2).handleSignals(false)
                        .pollTimeout(Duration.ofMillis(100)).build())
                .build()) {
            worker.registerWorkflow(Workflow.builder("double")
                    .step("twice", Integer.class, (n, ctx) -> n * 2)
                    .build());
            worker.start();

            Job done = client.submit("double").input(21).submitAndAwait(Duration.ofSeconds(30)).join();

            assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(done.lastReturnValue().intValue()).isEqualTo(42);
        }
        assertThatThrownBy(stuckWait::join).cause().isInstanceOf(TimeoutException.class)
                .hasMessageContaining(stuck.toString());
    }
}
