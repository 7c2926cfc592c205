package dev.ergate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ergate.JobId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("WriteCombiner (group commit), without a database")
class WriteCombinerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    /** A write of one job; the test's batch settles it. */
    private static final class Write extends PendingWrite {
        private final JobId id;

        Write(String id) {
            this.id = JobId.of(id);
        }

        @Override
        JobId jobId() {
            return id;
        }
    }

    /** Records each batch; the first one waits for the test's go. */
    private static final class RecordingBatch implements WriteCombiner.Batch<Write> {
        final List<List<String>> batches = new CopyOnWriteArrayList<>();
        final CountDownLatch firstMayRun = new CountDownLatch(1);
        final CountDownLatch firstRunning = new CountDownLatch(1);

        @Override
        public void run(List<Write> writes) {
            List<String> ids = new ArrayList<>();
            writes.forEach(w -> ids.add(w.jobId().value()));
            batches.add(ids);
            if (batches.size() == 1) {
                firstRunning.countDown();
                await(firstMayRun);
            }
            for (Write write : writes) {
                if (write.jobId().value().startsWith("bad")) {
                    write.fail(new IllegalStateException("refused " + write.jobId()));
                } else {
                    write.settle();
                }
            }
        }

        private static void await(CountDownLatch latch) {
            try {
                latch.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    @DisplayName("writes arriving while a batch runs go together in the next one, one failure failing only its caller")
    void combinesWhatArrivesWhileABatchRuns() throws Exception {
        RecordingBatch batch = new RecordingBatch();
        WriteCombiner<Write> combiner = new WriteCombiner<>(batch);
        Future<?> first = threads.submit(() -> combiner.write(new Write("first")));
        assertThat(batch.firstRunning.await(20, TimeUnit.SECONDS)).isTrue();

        List<Future<?>> later = new ArrayList<>();
        for (String id : List.of("a", "b", "bad-c", "d")) {
            later.add(threads.submit(() -> combiner.write(new Write(id))));
        }
        await().atMost(DEADLINE).until(() -> combiner.waiting() == 4);
        assertThat(later).as("nobody returns before its write is settled").noneMatch(Future::isDone);
        batch.firstMayRun.countDown();

        first.get(20, TimeUnit.SECONDS);
        later.get(0).get(20, TimeUnit.SECONDS);
        later.get(1).get(20, TimeUnit.SECONDS);
        assertThatThrownBy(() -> later.get(2).get(20, TimeUnit.SECONDS)).hasRootCauseMessage("refused bad-c");
        later.get(3).get(20, TimeUnit.SECONDS);
        assertThat(batch.batches).hasSize(2);
        assertThat(batch.batches.get(0)).containsExactly("first");
        assertThat(batch.batches.get(1)).containsExactlyInAnyOrder("a", "b", "bad-c", "d");
    }

    @Test
    @DisplayName("two writes of one job never share a batch")
    void oneWritePerJobAndBatch() throws Exception {
        RecordingBatch batch = new RecordingBatch();
        WriteCombiner<Write> combiner = new WriteCombiner<>(batch);
        Future<?> first = threads.submit(() -> combiner.write(new Write("first")));
        assertThat(batch.firstRunning.await(20, TimeUnit.SECONDS)).isTrue();
        Future<?> one = threads.submit(() -> combiner.write(new Write("same")));
        await().atMost(DEADLINE).until(() -> combiner.waiting() == 1);
        Future<?> two = threads.submit(() -> combiner.write(new Write("same")));
        await().atMost(DEADLINE).until(() -> combiner.waiting() == 2);
        batch.firstMayRun.countDown();

        first.get(20, TimeUnit.SECONDS);
        one.get(20, TimeUnit.SECONDS);
        two.get(20, TimeUnit.SECONDS);
        assertThat(batch.batches).containsExactly(List.of("first"), List.of("same"), List.of("same"));
    }

    @Test
    @DisplayName("a batch that throws fails every write in it, and the next caller still gets through")
    void throwingBatchFailsItsWrites() {
        List<Integer> calls = new CopyOnWriteArrayList<>();
        WriteCombiner<Write> combiner = new WriteCombiner<>(writes -> {
            calls.add(writes.size());
            if (calls.size() == 1) {
                throw new IllegalStateException("database gone");
            }
            writes.forEach(Write::settle);
        });
        assertThatThrownBy(() -> combiner.write(new Write("x"))).hasMessage("database gone");
        combiner.write(new Write("y"));
        assertThat(calls).containsExactly(1, 1);
    }
}
