package dev.ergate.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CombinerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @ParameterizedTest(name = "{0} lane(s)")
    @ValueSource(ints = {1, 2, 3})
    void itemsFromManyThreadsAreEachSentOnceInBatchesOfAtMostTheMax(int lanes) throws Exception {
        List<List<Integer>> calls = new CopyOnWriteArrayList<>();
        Combiner<Integer> combiner = new Combiner<>(4, lanes, "sending", items -> {
            calls.add(List.copyOf(items));
            return List.of();
        });
        List<Future<?>> submits = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            submits.add(threads.submit(() -> {
                for (int i = 0; i < 500; i++) {
                    combiner.submit(thread * 1_000 + i);
                }
            }));
        }
        for (Future<?> submit : submits) {
            submit.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        List<Integer> sent = calls.stream().flatMap(List::stream).sorted().toList();
        assertThat(sent).hasSize(8 * 500).doesNotHaveDuplicates();
        assertThat(calls).allSatisfy(call -> assertThat(call).hasSizeBetween(1, 4));
        assertThat(combiner.waiting()).isZero();
    }

    @Test
    void eachCallerGetsItsOwnItemsFailureAndWaitersGoTogetherInTheNextCall() throws Exception {
        CountDownLatch firstCallStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstCall = new CountDownLatch(1);
        List<List<String>> calls = new CopyOnWriteArrayList<>();
        Combiner<String> combiner = new Combiner<>(8, "sending", items -> {
            calls.add(List.copyOf(items));
            if (items.contains("first")) {
                firstCallStarted.countDown();
                awaitUninterruptibly(releaseFirstCall);
            }
            List<@Nullable RuntimeException> failures = new ArrayList<>();
            for (String item : items) {
                failures.add(item.startsWith("bad") ? new IllegalArgumentException("refused " + item) : null);
            }
            return failures;
        });
        Future<?> first = threads.submit(() -> combiner.submit("first"));
        assertThat(firstCallStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        Future<?> good = threads.submit(() -> combiner.submit("good"));
        Future<?> bad = threads.submit(() -> combiner.submit("bad-1"));
        await().atMost(WAIT).until(() -> combiner.waiting() == 2);
        releaseFirstCall.countDown();

        first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        good.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThatThrownBy(() -> bad.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .hasCauseInstanceOf(IllegalArgumentException.class).hasRootCauseMessage("refused bad-1");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(1)).containsExactlyInAnyOrder("good", "bad-1");
    }

    @Test
    void withTwoLanesASecondCallGoesOutWhileTheFirstIsInFlightAndAThirdWaits() throws Exception {
        CountDownLatch twoInFlight = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        List<List<String>> calls = new CopyOnWriteArrayList<>();
        Combiner<String> combiner = new Combiner<>(8, 2, "sending", items -> {
            calls.add(List.copyOf(items));
            if (items.contains("a") || items.contains("b")) {
                twoInFlight.countDown();
                awaitUninterruptibly(release); // both lanes held until the test lets them go
            }
            return List.of();
        });
        Future<?> a = threads.submit(() -> combiner.submit("a"));
        await().atMost(WAIT).until(() -> calls.size() == 1);
        Future<?> b = threads.submit(() -> combiner.submit("b"));
        // with one lane "b" would wait for "a": the latch would never reach zero
        assertThat(twoInFlight.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        Future<?> c = threads.submit(() -> combiner.submit("c"));
        await().atMost(WAIT).until(() -> combiner.waiting() == 1); // no third lane
        release.countDown();

        for (Future<?> done : List.of(a, b, c)) {
            done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        assertThat(calls).containsExactly(List.of("a"), List.of("b"), List.of("c"));
    }

    @Test
    void lanesMustBePositive() {
        assertThatThrownBy(() -> new Combiner<String>(8, 0, "sending", items -> List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("lanes must be at least 1, got 0");
    }

    @Test
    void aCallThatThrowsFailsEveryItemOfItsBatch() {
        IllegalStateException down = new IllegalStateException("backend down");
        Combiner<String> combiner = new Combiner<>(8, "sending", items -> {
            throw down;
        });

        assertThatThrownBy(() -> combiner.submit("a")).isSameAs(down);
    }

    @Test
    void anErrorIsRethrownToTheSenderAndGivenToTheOthersAsAFailureNamingTheCall() throws Exception {
        CountDownLatch firstCallStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstCall = new CountDownLatch(1);
        Combiner<String> combiner = new Combiner<>(8, "finishing the step", items -> {
            if (items.contains("first")) {
                firstCallStarted.countDown();
                awaitUninterruptibly(releaseFirstCall);
                return Collections.emptyList();
            }
            throw new OutOfMemoryError("test");
        });
        Future<?> first = threads.submit(() -> combiner.submit("first"));
        assertThat(firstCallStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        List<Future<?>> waiters = List.of(threads.submit(() -> combiner.submit("x")),
                threads.submit(() -> combiner.submit("y")));
        await().atMost(WAIT).until(() -> combiner.waiting() == 2);
        releaseFirstCall.countDown();
        first.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        // one of the two sent the batch and got the Error; the other got it as a failure
        List<Throwable> causes = new ArrayList<>();
        for (Future<?> waiter : waiters) {
            assertThatThrownBy(() -> waiter.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .satisfies(e -> causes.add(e.getCause()));
        }
        assertThat(causes).anySatisfy(cause -> assertThat(cause).isInstanceOf(OutOfMemoryError.class));
        assertThat(causes).anySatisfy(cause -> assertThat(cause).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("finishing the step failed: java.lang.OutOfMemoryError: test"));
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            assertThat(latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
