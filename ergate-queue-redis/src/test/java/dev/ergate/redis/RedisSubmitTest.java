package dev.ergate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.ErgateBackendException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The atomic submit's two ways through {@code submit.lua} (jobs not stored yet, batched; stored
 * or repeated jobs, one by one) and the grouping of single submits made at the same time.
 */
@DisplayName("RedisSubmit: batched script path, all or nothing, single submits grouped")
class RedisSubmitTest {

    private RedisFixture fixture;
    private RedisJobQueue queue;
    private RedisJobStore store;
    private RedisSubmit submit;
    private ExecutorService threads;

    @BeforeEach
    void open() {
        fixture = RedisFixture.open("submit");
        RedisBackend backend = fixture.backend();
        queue = backend.queue();
        store = backend.store();
        submit = (RedisSubmit) queue.atomicSubmit(store).orElseThrow();
        threads = Executors.newFixedThreadPool(4);
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        fixture.close();
    }

    private static Job queued(String id) {
        return Job.builder().id(id).workflowName("wf").status(JobStatus.QUEUED).build();
    }

    /**
     * Submits {@code first} alone and holds its script until {@code others} wait behind it, so
     * they go out as one group; returns each submit's outcome (null when it succeeded).
     */
    private List<Throwable> submitGrouped(Job first, List<Job> others) throws Exception {
        CountDownLatch firstHeld = new CountDownLatch(1);
        AtomicBoolean held = new AtomicBoolean();
        submit.beforeSend(() -> {
            if (held.compareAndSet(false, true)) {
                firstHeld.countDown();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (submit.waiting() < others.size() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            }
        });
        List<Future<Throwable>> outcomes = new ArrayList<>();
        outcomes.add(threads.submit(() -> outcome(first)));
        assertThat(firstHeld.await(30, TimeUnit.SECONDS)).isTrue();
        for (Job job : others) {
            outcomes.add(threads.submit(() -> outcome(job)));
        }
        List<Throwable> results = new ArrayList<>();
        for (Future<Throwable> outcome : outcomes) {
            results.add(outcome.get(30, TimeUnit.SECONDS));
        }
        return results;
    }

    private Throwable outcome(Job job) {
        try {
            submit.submit(List.of(job));
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    @Test
    @DisplayName("single submits made while one is in flight go out as one script; each job is stored and queued once")
    void concurrentSingleSubmitsShareAScript() throws Exception {
        List<Throwable> outcomes = submitGrouped(queued("g-1"), List.of(queued("g-2"), queued("g-3"), queued("g-4")));

        assertThat(outcomes).containsOnlyNulls();
        assertThat(submit.groupsSent()).isEqualTo(1);
        for (int i = 1; i <= 4; i++) {
            assertThat(store.find(JobId.of("g-" + i))).get().extracting(Job::status).isEqualTo(JobStatus.QUEUED);
        }
        assertThat(queue.counts().ready()).isEqualTo(4);
        assertThat(fixture.raw().hlen(queue.keys().puts())).as("put tokens, two each way").isEqualTo(8);
        assertThat(fixture.raw().llen(queue.keys().signal())).as("one signal per ready job").isEqualTo(4);
    }

    @Test
    @DisplayName("a group holding a job of a final id writes nothing; run again alone, only that submit fails")
    void aRefusedJobFailsOnlyItsOwnSubmit() throws Exception {
        store.update(queued("done").toBuilder().status(JobStatus.COMPLETED).build());

        List<Throwable> outcomes = submitGrouped(queued("r-1"), List.of(queued("r-2"), queued("done"), queued("r-3")));

        assertThat(outcomes.stream().filter(o -> o != null).toList()).singleElement()
                .isInstanceOf(ErgateBackendException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("ERGATE_STALE").contains("s:done"));
        assertThat(store.find(JobId.of("done"))).get().extracting(Job::status).isEqualTo(JobStatus.COMPLETED);
        for (String id : List.of("r-1", "r-2", "r-3")) {
            assertThat(store.find(JobId.of(id))).get().extracting(Job::status).isEqualTo(JobStatus.QUEUED);
        }
        assertThat(queue.counts().ready()).isEqualTo(3);
    }

    @Test
    @DisplayName("a batch holding a job of a final id writes nothing at all")
    void aBatchWithARefusedJobWritesNothing() {
        store.update(queued("final").toBuilder().status(JobStatus.FAILED).build());

        assertThatThrownBy(() -> submit.submit(List.of(queued("b-1"), queued("b-2"), queued("final"))))
                .isInstanceOf(ErgateBackendException.class).hasMessageContaining("ERGATE_STALE");

        assertThat(store.find(JobId.of("b-1"))).isEmpty();
        assertThat(store.find(JobId.of("b-2"))).isEmpty();
        assertThat(queue.counts().ready()).isZero();
        assertThat(fixture.raw().hlen(queue.keys().puts())).isZero();
    }

    @Test
    @DisplayName("a batch naming a stored job and one job twice queues each once")
    void storedAndRepeatedJobsTakeTheOneByOnePath() {
        submit.submit(List.of(queued("stored")));

        submit.submit(List.of(queued("new"), queued("stored"), queued("twice"), queued("twice")));

        assertThat(queue.counts().ready()).isEqualTo(3);
        assertThat(store.find(JobId.of("twice"))).get().extracting(Job::status).isEqualTo(JobStatus.QUEUED);
        assertThat(fixture.raw().zcard(queue.keys().indexPrefix() + "all")).isEqualTo(3);
    }

    @Test
    @DisplayName("a batch of new jobs keeps priorities, delays and the index order of the one-by-one path")
    void batchedPathKeepsPrioritiesDelaysAndOrder() throws InterruptedException {
        Job later = queued("later").toBuilder().requestedStartTime(Instant.now().plus(Duration.ofHours(1))).build();
        submit.submit(List.of(queued("plain-1"), queued("urgent").toBuilder().priority(5).build(), later,
                queued("plain-2"), queued("low").toBuilder().priority(-1).build()));

        assertThat(queue.counts().ready()).isEqualTo(4);
        assertThat(queue.counts().delayed()).isEqualTo(1);
        assertThat(fixture.raw().llen(queue.keys().signal())).as("one signal per ready job").isEqualTo(4);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Optional<Delivery> taken = queue.take(Duration.ZERO);
            assertThat(taken).isPresent();
            order.add(taken.get().job().id().value().toString());
            taken.get().ack();
        }
        assertThat(order).containsExactly("urgent", "plain-1", "plain-2", "low");
        assertThat(fixture.raw().zrange(queue.keys().indexPrefix() + "all", 0, -1))
                .containsExactly("s:plain-1", "s:urgent", "s:later", "s:plain-2", "s:low");
    }
}
