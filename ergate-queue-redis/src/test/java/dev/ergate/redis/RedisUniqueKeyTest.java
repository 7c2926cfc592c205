package dev.ergate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.DuplicateJobException;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.Workflow;
import dev.ergate.spi.RetryOutcome;
import dev.ergate.spi.StaleStateException;
import dev.ergate.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Unique keys on Redis beyond the contract: a key is free once its job is final by any path (a
 * real worker's finish, a failure, a cancel, the admin's delete, the retention), the hold is
 * counted by the store's clock, and the client's uniqueKey/failIfExists work end to end.
 */
@DisplayName("Redis store unique keys")
class RedisUniqueKeyTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static RedisFixture fixture;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("unique");
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static Job queued(String id) {
        return Job.builder().id(id).workflowName("wf").stepName("one").status(JobStatus.QUEUED).build();
    }

    @Test
    @DisplayName("through the client, with a real worker: the holder's id back, failIfExists throws, free once completed or failed")
    void clientWithWorker() throws Exception {
        RedisBackend backend = fixture.backend();
        ErgateClient client = ErgateClient.builder(backend.queue()).store(backend.store()).build();
        CountDownLatch release = new CountDownLatch(1);
        try (Ergate worker = Ergate.builder(backend.queue(), backend.store())
                .options(ErgateOptions.builder().concurrency(2).handleSignals(false)
                        .pollTimeout(Duration.ofMillis(100)).build())
                .build()) {
            worker.registerWorkflow(Workflow.builder("report")
                    .step("make", Integer.class, (n, ctx) -> {
                        if (!release.await(30, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("never released");
                        }
                        if (n < 0) {
                            throw new IllegalArgumentException("negative");
                        }
                        return n;
                    })
                    .build());
            worker.start();

            JobId first = client.submit("report").input(1).uniqueKey("daily").submit();
            assertThat(client.submit("report").input(2).uniqueKey("daily").submit()).as("while running").isEqualTo(first);
            assertThatThrownBy(() -> client.submit("report").input(3).uniqueKey("daily").failIfExists().submit())
                    .isInstanceOf(DuplicateJobException.class).hasMessageContaining(first.toString());
            release.countDown();
            assertThat(client.await(first, Duration.ofSeconds(30)).join().status()).isEqualTo(JobStatus.COMPLETED);

            JobId failing = client.submit("report").input(-1).uniqueKey("daily").submit();
            assertThat(failing).as("after the holder completed").isNotEqualTo(first);
            assertThat(client.await(failing, Duration.ofSeconds(30)).join().status()).isEqualTo(JobStatus.FAILED);

            JobId third = client.submit("report").input(4).uniqueKey("daily").submit();
            assertThat(third).as("after the holder failed").isNotIn(first, failing);
            assertThat(client.await(third, Duration.ofSeconds(30)).join().status()).isEqualTo(JobStatus.COMPLETED);
        }
    }

    @Test
    @DisplayName("a cancel request holds the key until the job is CANCELLED; an admin delete frees it; a retry takes it back")
    void cancelDeleteRetry() {
        RedisBackend backend = fixture.backend();
        RedisJobStore store = backend.store();
        RedisJobAdmin admin = backend.admin();
        assertThat(store.recordUnique(queued("a"), "k", Duration.ZERO)).isEmpty();

        assertThat(store.requestCancel(JobId.of("a"))).isTrue();
        assertThat(store.recordUnique(queued("b"), "k", Duration.ZERO)).as("while CANCELLING").contains(JobId.of("a"));
        store.update(queued("a").toBuilder().status(JobStatus.CANCELLED).build());
        assertThat(store.recordUnique(queued("b"), "k", Duration.ZERO)).as("once CANCELLED").isEmpty();

        assertThat(admin.deleteJob(JobId.of("b"))).isTrue();
        assertThat(store.recordUnique(queued("c"), "k", Duration.ZERO)).as("after a delete").isEmpty();

        store.update(queued("c").toBuilder().status(JobStatus.FAILED).build());
        assertThat(admin.retryJob(JobId.of("c"))).isEqualTo(RetryOutcome.RETRIED);
        assertThat(store.recordUnique(queued("d"), "k", Duration.ZERO))
                .as("the key's last holder, queued again by a retry").contains(JobId.of("c"));
    }

    @Test
    @DisplayName("the hold and the retention are counted by the store's clock; numeric ids come back numeric")
    void holdAndRetentionOnTheClock() {
        ManualClock clock = ManualClock.startingAt(T0);
        RedisBackend backend = fixture.backend(RedisOptions.builder().clock(clock));
        RedisJobStore store = backend.store(RedisStoreOptions.builder().retention(Duration.ofDays(1)).build());
        Job numeric = queued("x").toBuilder().id(JobId.of(77)).build();
        assertThat(store.recordUnique(numeric, "held", Duration.ofHours(1))).isEmpty();
        store.update(numeric.toBuilder().status(JobStatus.COMPLETED).build());

        clock.advance(Duration.ofMinutes(59));
        Optional<JobId> holder = store.recordUnique(queued("y"), "held", Duration.ZERO);
        assertThat(holder).as("within the hour").contains(JobId.of(77));
        assertThat(holder.orElseThrow().isNumeric()).isTrue();
        clock.advance(Duration.ofMinutes(1));
        assertThat(store.recordUnique(queued("y"), "held", Duration.ZERO)).as("after the hour").isEmpty();

        assertThat(store.recordUnique(queued("z"), "kept", Duration.ofDays(30))).isEmpty();
        store.update(queued("z").toBuilder().status(JobStatus.COMPLETED).build());
        clock.advance(Duration.ofDays(2));
        assertThat(store.find(JobId.of("z"))).as("past its retention").isEmpty();
        assertThat(store.recordUnique(queued("w"), "kept", Duration.ZERO)).as("the hold outlives the job")
                .contains(JobId.of("z"));
    }

    @Test
    @DisplayName("the admin's purge deletes the entries of free keys only (holder final or gone, hold passed)")
    void purgeSweepsFreeEntries() {
        ManualClock clock = ManualClock.startingAt(T0);
        RedisBackend backend = fixture.backend(RedisOptions.builder().clock(clock));
        RedisJobStore store = backend.store();
        RedisJobAdmin admin = backend.admin();
        store.recordUnique(queued("done"), "free", Duration.ZERO);
        store.update(queued("done").toBuilder().status(JobStatus.COMPLETED).build());
        store.recordUnique(queued("running"), "busy", Duration.ZERO);
        store.recordUnique(queued("held"), "hold", Duration.ofHours(1));
        store.update(queued("held").toBuilder().status(JobStatus.COMPLETED).build());
        store.recordUnique(queued("deleted"), "gone", Duration.ZERO);
        admin.deleteJob(JobId.of("deleted"));
        String hash = new RedisKeys(backend.options().namespace(), RedisQueueOptions.defaults().name()).uniqueKeys();

        assertThat(admin.purgeJobs(Instant.EPOCH)).as("jobs purged (none that old)").isZero();
        assertThat(fixture.raw().hkeys(hash)).containsExactlyInAnyOrder("busy", "hold");
        clock.advance(Duration.ofHours(1));
        admin.purgeJobs(Instant.EPOCH);
        assertThat(fixture.raw().hkeys(hash)).containsExactly("busy");
        assertThat(store.recordUnique(queued("other"), "busy", Duration.ZERO)).contains(JobId.of("running"));
    }

    @Test
    @DisplayName("refuses a blank key and a negative hold with the reason; a final job of the same id is not replaced")
    void badInput() {
        RedisJobStore store = fixture.backend().store();
        assertThatThrownBy(() -> store.recordUnique(queued("a"), " ", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unique key").hasMessageContaining("blank");
        assertThatThrownBy(() -> store.recordUnique(queued("a"), "k", Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holdFor");
        assertThatThrownBy(() -> store.recordUnique(queued("a").toBuilder().id((JobId) null).build(), "k", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id");

        store.update(queued("done").toBuilder().status(JobStatus.COMPLETED).build());
        assertThatThrownBy(() -> store.recordUnique(queued("done"), "other", Duration.ZERO))
                .isInstanceOf(StaleStateException.class);
        assertThat(store.find(JobId.of("done")).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(store.recordUnique(queued("fresh"), "other", Duration.ZERO)).as("the key was not taken").isEmpty();
    }
}
