package dev.ergate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ergate.Job;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.ErgateBackendException;
import dev.ergate.spi.JobTooLargeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("InMemoryJobQueue on a manual clock")
class InMemoryJobQueueTest {

    private static final Duration LEASE = Duration.ofSeconds(30);

    private final ManualClock clock = ManualClock.create();
    private final InMemoryJobQueue queue = InMemoryJobQueue.builder().clock(clock).leaseTime(LEASE).build();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void close() {
        threads.shutdownNow();
        queue.close();
    }

    private static Job job(String id) {
        return Job.builder().id(id).workflowName("w").build();
    }

    private Delivery takeNow() throws InterruptedException {
        return queue.take(Duration.ZERO).orElseThrow(() -> new AssertionError("nothing to take"));
    }

    @Test
    @DisplayName("delivers a delayed job exactly when the clock reaches its start time")
    void delayedByClock() throws Exception {
        queue.put(job("d").toBuilder().requestedStartTime(clock.instant().plus(Duration.ofHours(1))).build());

        clock.advance(Duration.ofMinutes(59).plusSeconds(59));
        assertThat(queue.take(Duration.ZERO)).isEmpty();
        clock.advance(Duration.ofSeconds(1));

        assertThat(takeNow().job().id().value()).isEqualTo("d");
    }

    @Test
    @DisplayName("delivers an unacked job again exactly when its lease runs out, by the clock")
    void leaseByClock() throws Exception {
        queue.put(job("l"));
        Delivery first = takeNow();
        assertThat(first.leaseExpiresAt()).isEqualTo(clock.instant().plus(LEASE));

        clock.advance(LEASE.minusMillis(1));
        assertThat(queue.take(Duration.ZERO)).isEmpty();
        clock.advance(Duration.ofMillis(1));
        Delivery second = takeNow();

        assertThat(second.deliveryCount()).isEqualTo(2);
        assertThat(second.job()).isEqualTo(first.job());
    }

    @Test
    @DisplayName("wakes a blocked taker when the manual clock moves past a delay")
    void blockedTakerWakesOnClockMove() throws Exception {
        queue.put(job("wake").toBuilder().requestedStartTime(clock.instant().plus(Duration.ofDays(1))).build());
        AtomicReference<Thread> taker = new AtomicReference<>();
        Future<Optional<Delivery>> result = threads.submit(() -> {
            taker.set(Thread.currentThread());
            return queue.take(Duration.ofMinutes(5));
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> taker.get() != null
                && taker.get().getState() == Thread.State.TIMED_WAITING);

        clock.advance(Duration.ofDays(1));

        assertThat(result.get(30, TimeUnit.SECONDS)).hasValueSatisfying(d ->
                assertThat(d.job().id().value()).isEqualTo("wake"));
    }

    @Test
    @DisplayName("hands out the oldest visible job first, whether it was put ready, delayed, or its lease ran out")
    void oldestVisibilityFirst() throws Exception {
        queue.put(job("leased"));
        takeNow(); // leased until now + LEASE
        queue.put(job("delayed").toBuilder().requestedStartTime(clock.instant().plusSeconds(10)).build());
        clock.advance(Duration.ofSeconds(20));
        queue.put(job("ready-1"));
        clock.advance(LEASE);
        queue.put(job("ready-2"));

        assertThat(takeNow().job().id().value()).isEqualTo("delayed");
        assertThat(takeNow().job().id().value()).isEqualTo("ready-1");
        assertThat(takeNow().job().id().value()).isEqualTo("leased");
        assertThat(takeNow().job().id().value()).isEqualTo("ready-2");
        assertThat(queue.take(Duration.ZERO)).isEmpty();
    }

    @Test
    @DisplayName("parks a taker on an empty queue instead of spinning")
    void parksWhileEmpty() {
        AtomicReference<Thread> taker = new AtomicReference<>();
        CompletableFuture<Optional<Delivery>> result = CompletableFuture.supplyAsync(() -> {
            taker.set(Thread.currentThread());
            try {
                return queue.take(Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, threads);

        await().atMost(Duration.ofSeconds(30)).until(() -> taker.get() != null);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(30))
                .until(() -> taker.get().getState() == Thread.State.TIMED_WAITING);

        queue.put(job("p"));
        assertThat(result.orTimeout(30, TimeUnit.SECONDS).join()).isPresent();
    }

    @Test
    @DisplayName("release(delay) and extend follow the clock")
    void releaseAndExtend() throws Exception {
        queue.put(job("r"));
        takeNow().release(Duration.ofMinutes(10));
        clock.advance(Duration.ofMinutes(10).minusMillis(1));
        assertThat(queue.take(Duration.ZERO)).isEmpty();
        clock.advance(Duration.ofMillis(1));
        Delivery delivery = takeNow();

        delivery.extend(Duration.ofHours(2));
        assertThat(delivery.leaseExpiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(2)));
        clock.advance(Duration.ofHours(2).minusMillis(1));
        assertThat(queue.take(Duration.ZERO)).isEmpty();
        clock.advance(Duration.ofMillis(1));

        assertThat(takeNow().deliveryCount()).isEqualTo(3);
    }

    @Test
    @DisplayName("ignores ack, release and deadLetter of a lease that was lost, and refuses to extend it")
    void staleLease() throws Exception {
        queue.put(job("s"));
        Delivery stale = takeNow();
        clock.advance(LEASE);
        Delivery current = takeNow();

        stale.ack();
        stale.release(Duration.ZERO);
        stale.deadLetter("stale");
        assertThatThrownBy(() -> stale.extend(LEASE))
                .isInstanceOf(ErgateBackendException.class)
                .hasMessageContaining("job s")
                .satisfies(e -> assertThat(((ErgateBackendException) e).isTransient()).isFalse());

        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.deadLetters()).isEmpty();
        assertThat(queue.take(Duration.ZERO)).as("still leased to the current taker").isEmpty();
        current.ack();
        assertThat(queue.size()).isZero();
    }

    @Test
    @DisplayName("moves a message that is not a job to the dead letters with the reason, and hands out the next")
    void undecodable() throws Exception {
        queue.putRaw("[1, 2, 3]".getBytes(StandardCharsets.UTF_8));
        queue.put(job("good"));

        assertThat(takeNow().job().id().value()).isEqualTo("good");
        assertThat(queue.deadLetters()).singleElement().satisfies(dead -> {
            assertThat(dead.body()).isEqualTo("[1, 2, 3]");
            assertThat(dead.reason()).contains("not a job").contains("JSON object");
            assertThat(dead.at()).isEqualTo(clock.instant());
        });
    }

    @Test
    @DisplayName("keeps a dead-lettered job's text and reason")
    void deadLetter() throws Exception {
        queue.put(job("poison"));

        takeNow().deadLetter("killed 5 workers");

        assertThat(queue.size()).isZero();
        assertThat(queue.deadLetters()).singleElement().satisfies(dead -> {
            assertThat(dead.body()).contains("\"poison\"");
            assertThat(dead.reason()).isEqualTo("killed 5 workers");
        });
    }

    @Test
    @DisplayName("refuses a job over its size limit, naming sizes, before storing anything")
    void tooLarge() {
        InMemoryJobQueue small = InMemoryJobQueue.builder().clock(clock).maxJobBytes(100).build();
        Job big = job("big").toBuilder().initialInputValue(TextNode.valueOf("x".repeat(200))).build();

        assertThatThrownBy(() -> small.put(big))
                .isInstanceOf(JobTooLargeException.class)
                .hasMessageContaining("job big")
                .hasMessageContaining("limit of 100 bytes")
                .satisfies(e -> assertThat(((JobTooLargeException) e).sizeBytes()).isGreaterThan(200));
        assertThat(small.size()).isZero();
        small.close();
    }

    @Test
    @DisplayName("lists the jobs it holds in the order they become visible")
    void jobsAndSize() {
        queue.put(job("later").toBuilder().requestedStartTime(clock.instant().plusSeconds(60)).build());
        queue.put(job("now"));

        assertThat(queue.size()).isEqualTo(2);
        assertThat(queue.jobs()).extracting(j -> j.id().value()).containsExactly("now", "later");
    }

    @Test
    @DisplayName("after close refuses puts and takes, and wakes blocked takers with an error")
    void closed() throws Exception {
        AtomicReference<Thread> taker = new AtomicReference<>();
        Future<Optional<Delivery>> blocked = threads.submit(() -> {
            taker.set(Thread.currentThread());
            return queue.take(Duration.ofMinutes(5));
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> taker.get() != null
                && taker.get().getState() == Thread.State.TIMED_WAITING);

        queue.close();

        assertThatThrownBy(() -> blocked.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(ErgateBackendException.class);
        assertThatThrownBy(() -> queue.put(job("x"))).isInstanceOf(ErgateBackendException.class)
                .hasMessageContaining("put after close()");
        assertThatThrownBy(() -> queue.take(Duration.ZERO)).isInstanceOf(ErgateBackendException.class);
    }

    @Test
    @DisplayName("builder refuses a lease or size limit that is not positive, naming the setting")
    void builderValidates() {
        assertThatThrownBy(() -> InMemoryJobQueue.builder().leaseTime(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaseTime");
        assertThatThrownBy(() -> InMemoryJobQueue.builder().maxJobBytes(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxJobBytes");
        assertThatThrownBy(() -> queue.take(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWait");
    }

    @Test
    @DisplayName("hands out a fresh copy of the job: changing one delivery's trees changes nothing stored")
    void copies() throws Exception {
        Job original = job("c").toBuilder()
                .initialInputValue(JsonNodeFactory.instance.objectNode().put("a", 1))
                .build();
        queue.put(original);
        Delivery first = takeNow();
        ((ObjectNode) first.job().initialInputValue()).put("a", 2);
        first.release(Duration.ZERO);

        assertThat(takeNow().job().initialInputValue().get("a").asInt()).isEqualTo(1);
    }
}
