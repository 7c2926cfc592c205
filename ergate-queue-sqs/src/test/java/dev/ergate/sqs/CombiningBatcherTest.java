package dev.ergate.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("CombiningBatcher")
class CombiningBatcherTest {

    @Test
    @DisplayName("a lone item goes out at once, alone")
    void alone() {
        List<List<Integer>> calls = new CopyOnWriteArrayList<>();
        CombiningBatcher<Integer> batcher = new CombiningBatcher<>(10, items -> {
            calls.add(List.copyOf(items));
            return nulls(items.size());
        });
        batcher.submit(1);
        assertThat(calls).containsExactly(List.of(1));
    }

    @Test
    @DisplayName("items submitted while a batch is in flight share the next one, up to the batch size")
    void combines() throws Exception {
        CountDownLatch firstInFlight = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<List<Integer>> calls = new CopyOnWriteArrayList<>();
        CombiningBatcher<Integer> batcher = new CombiningBatcher<>(10, items -> {
            calls.add(List.copyOf(items));
            if (calls.size() == 1) {
                firstInFlight.countDown();
                try {
                    releaseFirst.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return nulls(items.size());
        });
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> done = new ArrayList<>();
            done.add(pool.submit(() -> batcher.submit(0)));
            assertThat(firstInFlight.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i <= 15; i++) {
                int item = i;
                done.add(pool.submit(() -> batcher.submit(item)));
            }
            org.awaitility.Awaitility.await().until(() -> pool instanceof java.util.concurrent.ThreadPoolExecutor t
                    && t.getActiveCount() == 16);
            releaseFirst.countDown();
            for (Future<?> f : done) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(calls).hasSize(3);
        assertThat(calls.get(0)).containsExactly(0);
        assertThat(calls.get(1)).hasSize(10);
        assertThat(calls.get(2)).hasSize(5);
        assertThat(calls.stream().flatMap(List::stream)).containsExactlyInAnyOrderElementsOf(
                java.util.stream.IntStream.rangeClosed(0, 15).boxed().toList());
    }

    @Test
    @DisplayName("each caller gets its own item's failure")
    void failures() {
        CombiningBatcher<Integer> batcher = new CombiningBatcher<>(10, items -> {
            List<@Nullable RuntimeException> result = new ArrayList<>();
            for (Integer item : items) {
                result.add(item % 2 == 0 ? null : new IllegalStateException("odd " + item));
            }
            return result;
        });
        batcher.submit(2);
        assertThatThrownBy(() -> batcher.submit(3)).hasMessage("odd 3");
        CombiningBatcher<Integer> broken = new CombiningBatcher<>(10, items -> {
            throw new IllegalStateException("down");
        });
        assertThatThrownBy(() -> broken.submit(1)).hasMessage("down");
    }

    private static List<@Nullable RuntimeException> nulls(int n) {
        List<@Nullable RuntimeException> result = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            result.add(null);
        }
        return result;
    }
}
