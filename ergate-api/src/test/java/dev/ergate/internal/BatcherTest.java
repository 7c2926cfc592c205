package dev.ergate.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Batcher (leader/follower batching)")
class BatcherTest {

    private static final long DEADLINE_SECONDS = 20;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    /** Records each batch; the first one waits for the test's go. Items starting with "bad" fail. */
    private static final class RecordingCall implements Batcher.Call<String> {
        final List<List<String>> batches = new CopyOnWriteArrayList<>();
        final CountDownLatch firstMayRun = new CountDownLatch(1);
        final CountDownLatch firstRunning = new CountDownLatch(1);

        @Override
        public List<@Nullable RuntimeException> send(List<String> items) {
            batches.add(List.copyOf(items));
            if (batches.size() == 1) {
                firstRunning.countDown();
                try {
                    firstMayRun.await(DEADLINE_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            List<@Nullable RuntimeException> failures = new ArrayList<>();
            for (String item : items) {
                failures.add(item.startsWith("bad") ? new IllegalStateException("refused " + item) : null);
            }
            return failures;
        }
    }

    @Test
    @DisplayName("a lone item goes out at once, alone")
    void alone() {
        RecordingCall call = new RecordingCall();
        call.firstMayRun.countDown();
        new Batcher<>(10, call).submit("one");
        assertThat(call.batches).containsExactly(List.of("one"));
    }

    @Test
    @DisplayName("items arriving while a batch is in flight share the next ones, up to the batch size; a failure fails only its caller")
    void combines() throws Exception {
        RecordingCall call = new RecordingCall();
        Batcher<String> batcher = new Batcher<>(3, call);
        Future<?> first = threads.submit(() -> batcher.submit("first"));
        assertThat(call.firstRunning.await(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();

        List<Future<?>> later = new ArrayList<>();
        for (String item : List.of("a", "b", "bad-c", "d", "e")) {
            later.add(threads.submit(() -> batcher.submit(item)));
        }
        await().atMost(Duration.ofSeconds(DEADLINE_SECONDS)).until(() -> batcher.waiting() == 5);
        assertThat(later).as("nobody returns before its item was sent").noneMatch(Future::isDone);
        call.firstMayRun.countDown();

        first.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        for (int i = 0; i < later.size(); i++) {
            Future<?> done = later.get(i);
            if (i == 2) {
                assertThatThrownBy(() -> done.get(DEADLINE_SECONDS, TimeUnit.SECONDS)).hasRootCauseMessage("refused bad-c");
            } else {
                done.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
            }
        }
        assertThat(call.batches).hasSize(3);
        assertThat(call.batches.get(0)).containsExactly("first");
        assertThat(call.batches.get(1)).hasSize(3);
        assertThat(call.batches.get(2)).hasSize(2);
        assertThat(call.batches.stream().flatMap(List::stream))
                .containsExactlyInAnyOrder("first", "a", "b", "bad-c", "d", "e");
    }

    @Test
    @DisplayName("two items with the same key never share a batch")
    void oneItemPerKeyAndBatch() throws Exception {
        RecordingCall call = new RecordingCall();
        Batcher<String> batcher = new Batcher<>(10, Function.identity(), call, items -> { });
        Future<?> first = threads.submit(() -> batcher.submit("first"));
        assertThat(call.firstRunning.await(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
        Future<?> one = threads.submit(() -> batcher.submit("same"));
        await().atMost(Duration.ofSeconds(DEADLINE_SECONDS)).until(() -> batcher.waiting() == 1);
        Future<?> two = threads.submit(() -> batcher.submit("same"));
        await().atMost(Duration.ofSeconds(DEADLINE_SECONDS)).until(() -> batcher.waiting() == 2);
        call.firstMayRun.countDown();

        first.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        one.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        two.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertThat(call.batches).containsExactly(List.of("first"), List.of("same"), List.of("same"));
    }

    @Test
    @DisplayName("a call that throws fails every item in its batch, and the next caller still gets through; afterBatch runs after each")
    void throwingCall() {
        List<Integer> calls = new CopyOnWriteArrayList<>();
        List<List<String>> after = new CopyOnWriteArrayList<>();
        Batcher<String> batcher = new Batcher<>(10, null, items -> {
            calls.add(items.size());
            if (calls.size() == 1) {
                throw new IllegalStateException("backend gone");
            }
            return List.of();
        }, after::add);

        assertThatThrownBy(() -> batcher.submit("x")).hasMessage("backend gone");
        batcher.submit("y");

        assertThat(calls).containsExactly(1, 1);
        assertThat(after).containsExactly(List.of("x"), List.of("y"));
    }
}
