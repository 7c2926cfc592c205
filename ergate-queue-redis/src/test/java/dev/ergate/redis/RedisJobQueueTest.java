package dev.ergate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.spi.DeadLetter;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.ErgateBackendException;
import dev.ergate.spi.JobTooLargeException;
import dev.ergate.spi.LeaseLostException;
import dev.ergate.spi.QueueCounts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RedisJobQueue against a real Redis")
class RedisJobQueueTest {

    private static final Duration LONG_LEASE = Duration.ofSeconds(60);
    private static RedisFixture fixture;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("queue");
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static RedisJobQueue queue(Duration leaseTime) {
        return fixture.backend().queue(RedisQueueOptions.builder().leaseTime(leaseTime).build());
    }

    private static long blockedTakers(RedisJobQueue queue) {
        return fixture.blockedTakers(queue.backend());
    }

    private static Job job(String id) {
        return Job.builder().id(id).workflowName("wf").stepName("first")
                .initialInputValue(JsonNodeFactory.instance.objectNode().put("n", 7))
                .extraField("current_step", TextNode.valueOf("first"))
                .build();
    }

    private static Delivery takeNow(RedisJobQueue queue) throws InterruptedException {
        return queue.take(Duration.ofSeconds(5)).orElseThrow(() -> new AssertionError("nothing to take"));
    }

    @Test
    @DisplayName("a put job is taken whole, leased, and counted as the first delivery")
    void putThenTake() throws Exception {
        RedisJobQueue queue = queue(LONG_LEASE);
        Job job = job("a");
        Instant before = Instant.now();
        queue.put(job);

        Delivery delivery = takeNow(queue);

        assertThat(delivery.job()).isEqualTo(job);
        assertThat(delivery.job().extraField("current_step")).isEqualTo(TextNode.valueOf("first"));
        assertThat(delivery.deliveryCount()).isEqualTo(1);
        assertThat(delivery.leaseExpiresAt()).isBetween(before.plus(LONG_LEASE).minusSeconds(1),
                Instant.now().plus(LONG_LEASE).plusSeconds(1));
        assertThat(queue.counts()).isEqualTo(new QueueCounts(0, 0, 1, 0, false));
    }

    @Test
    @DisplayName("jobs come out in the order they were put")
    void fifo() throws Exception {
        RedisJobQueue queue = queue(LONG_LEASE);
        for (int i = 0; i < 5; i++) {
            queue.put(job("j" + i));
        }
        List<String> taken = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            taken.add(takeNow(queue).job().id().value());
        }
        assertThat(taken).containsExactly("j0", "j1", "j2", "j3", "j4");
    }

    @Test
    @DisplayName("take on an empty queue waits about maxWait, and zero means no wait")
    void emptyTakeWaits() throws Exception {
        RedisJobQueue queue = queue(LONG_LEASE);
        long start = System.nanoTime();
        assertThat(queue.take(Duration.ofMillis(300))).isEmpty();
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(waited).isBetween(290L, 3_000L);

        start = System.nanoTime();
        assertThat(queue.take(Duration.ZERO)).isEmpty();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000L);
    }

    @Test
    @DisplayName("a blocked taker is woken by a put at once, not at the end of its wait")
    void blockedTakerWakesOnPut() throws Exception {
        RedisJobQueue queue = queue(LONG_LEASE);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Optional<Delivery>> taken = pool.submit(() -> queue.take(Duration.ofSeconds(30)));
            await().atMost(Duration.ofSeconds(10)).until(() -> blockedTakers(queue) > 0);
            long start = System.nanoTime();
            queue.put(job("wake"));
            Optional<Delivery> delivery = taken.get(20, TimeUnit.SECONDS);
            long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(delivery).isPresent();
            assertThat(latencyMs).as("wake-up latency").isLessThan(RedisJobQueue.MAX_BLOCK.toMillis() / 2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("a leased job is invisible to others until its lease runs out, then delivered again")
    void leaseExpiryRedelivers() throws Exception {
        RedisJobQueue queue = queue(Duration.ofMillis(700));
        queue.put(job("lease"));
        Delivery first = takeNow(queue);

        assertThat(queue.take(Duration.ofMillis(200))).as("while leased").isEmpty();

        Delivery second = queue.take(Duration.ofSeconds(10)).orElseThrow();
        assertThat(second.job().id()).isEqualTo(JobId.of("lease"));
        assertThat(second.deliveryCount()).isEqualTo(2);
        assertThat(second.leaseExpiresAt()).isAfter(first.leaseExpiresAt());

        assertThatThrownBy(() -> first.extend(Duration.ofSeconds(5)))
                .isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("lease was lost");
        first.ack(); // stale: must not end the second lease
        first.release(Duration.ZERO);
        first.deadLetter("stale");
        assertThat(queue.counts().inFlight()).isEqualTo(1);
        assertThat(queue.counts().deadLetters()).isZero();

        second.ack();
        assertThat(queue.counts().total()).isZero();
    }

    @Test
    @DisplayName("an acked job is gone for good, also after its lease time")
    void ackDeletes() throws Exception {
        RedisJobQueue queue = queue(Duration.ofMillis(300));
        queue.put(job("ack"));
        takeNow(queue).ack();
        assertThat(queue.take(Duration.ofMillis(900))).isEmpty();
        assertThat(queue.counts().total()).isZero();
    }

    @Test
    @DisplayName("release(0) gives the job back at once; a second end of the same delivery changes nothing")
    void releaseNow() throws Exception {
        RedisJobQueue queue = queue(LONG_LEASE);
        queue.put(job("rel"));
        Delivery first = takeNow(queue);
        first.release(Duration.ZERO);
        first.release(Duration.ZERO);
        first.ack();

        Delivery again = takeNow(queue);
        assertThat(again.deliveryCount()).isEqualTo(2);
        assertThat(queue.counts()).isEqualTo(new QueueCounts(0, 0, 1, 0, false));
    }

    @Test
    @DisplayName("release(delay) hides the job for the delay")
    void releaseWithDelay() throws Exception {
        RedisJobQueue queue = queue(LONG_LEASE);
        queue.put(job("later"));
        Delivery first = takeNow(queue);
        long start = System.nanoTime();
        first.release(Duration.ofMillis(600));
        assertThat(queue.counts().delayed()).isEqualTo(1);

        Delivery again = queue.take(Duration.ofSeconds(10)).orElseThrow();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(590L);
        assertThat(again.job().id()).isEqualTo(JobId.of("later"));
    }

    @Test
    @DisplayName("a job with a future requested_start_time is not delivered before it")
    void requestedStartTime() throws Exception {
        RedisJobQueue queue = queue(LONG_LEASE);
        Instant start = Instant.now().plusMillis(700);
        queue.put(job("scheduled").toBuilder().requestedStartTime(start).build());
        queue.put(job("now"));

        assertThat(takeNow(queue).job().id()).isEqualTo(JobId.of("now"));
        Delivery scheduled = queue.take(Duration.ofSeconds(10)).orElseThrow();
        assertThat(Instant.now()).isAfterOrEqualTo(start.minusMillis(5));
        assertThat(scheduled.job().requestedStartTime()).isEqualTo(start);
    }

    @Test
    @DisplayName("a blocked taker wakes for a delayed job put while it waits, when the job is due")
    void blockedTakerWakesForDelayedPut() throws Exception {
        RedisJobQueue queue = queue(LONG_LEASE);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Optional<Delivery>> taken = pool.submit(() -> queue.take(Duration.ofSeconds(30)));
            await().atMost(Duration.ofSeconds(10)).until(() -> blockedTakers(queue) > 0);
            long start = System.nanoTime();
            queue.put(job("soon").toBuilder().requestedStartTime(Instant.now().plusMillis(300)).build());
            assertThat(taken.get(20, TimeUnit.SECONDS)).isPresent();
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(tookMs).isBetween(250L, 300L + RedisJobQueue.MAX_BLOCK.toMillis() / 2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("extend keeps a lease past its original end")
    void extendKeepsLease() throws Exception {
        RedisJobQueue queue = queue(Duration.ofMillis(500));
        queue.put(job("long"));
        Delivery delivery = takeNow(queue);
        delivery.extend(Duration.ofSeconds(30));
        assertThat(delivery.leaseExpiresAt()).isAfter(Instant.now().plusSeconds(20));
        assertThat(queue.take(Duration.ofMillis(1_200))).as("after the original lease").isEmpty();
        delivery.ack();
        assertThat(queue.counts().total()).isZero();
    }

    @Test
    @DisplayName("garbage pushed straight onto the ready list goes to the dead letters, and the taker goes on")
    void garbageIsDeadLettered() throws Exception {
        RedisJobQueue queue = queue(LONG_LEASE);
        byte[] notUtf8 = {(byte) 0xff, (byte) 0xfe, 'x'};
        fixture.raw().rpush(queue.keys().ready().getBytes(StandardCharsets.UTF_8),
                "{not json".getBytes(StandardCharsets.UTF_8), notUtf8,
                "{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        queue.put(job("good"));

        Delivery good = takeNow(queue);

        assertThat(good.job().id()).isEqualTo(JobId.of("good"));
        List<DeadLetter> dead = queue.deadLetters(10);
        assertThat(dead).extracting(DeadLetter::body)
                .containsExactly("{not json", new String(notUtf8, StandardCharsets.UTF_8), "{\"id\":\"x\"}");
        assertThat(dead).allSatisfy(letter -> assertThat(letter.reason()).startsWith("not a job: "));
        assertThat(dead.get(2).reason()).contains("workflow_name");
        String record = fixture.raw().lindex(queue.keys().dead(), 1);
        assertThat(record).contains("\"text_base64\":\"//54\"");
        assertThat(queue.counts()).isEqualTo(new QueueCounts(0, 0, 1, 3, false));
    }

    @Test
    @DisplayName("a valid job pushed raw onto the ready list, as a foreign producer would, is delivered")
    void foreignJobIsDelivered() throws Exception {
        RedisJobQueue queue = queue(LONG_LEASE);
        fixture.raw().rpush(queue.keys().ready(), "{\"id\": 42, \"workflow_name\": \"py\", \"status\": \"queued\"}");
        Delivery delivery = takeNow(queue);
        assertThat(delivery.job().id()).isEqualTo(JobId.of(42));
        assertThat(delivery.job().workflowName()).isEqualTo("py");
        delivery.ack();
        assertThat(queue.counts().total()).isZero();
    }

    @Test
    @DisplayName("a message delivered more than maxDeliveries times goes to the dead letters")
    void maxDeliveries() throws Exception {
        RedisJobQueue queue = fixture.backend().queue(RedisQueueOptions.builder()
                .leaseTime(Duration.ofMillis(200)).maxDeliveries(2).build());
        queue.put(job("poison"));
        assertThat(takeNow(queue).deliveryCount()).isEqualTo(1);
        assertThat(takeNow(queue).deliveryCount()).isEqualTo(2);

        assertThat(queue.take(Duration.ofMillis(800))).isEmpty();

        List<DeadLetter> dead = queue.deadLetters(10);
        assertThat(dead).singleElement().satisfies(letter -> {
            assertThat(letter.reason()).contains("delivered 3 times").contains("maxDeliveries=2");
            assertThat(letter.jobId()).isEqualTo("poison");
            assertThat(letter.deliveryCount()).isEqualTo(3);
            assertThat(letter.body()).contains("\"workflow_name\":\"wf\"");
        });
        assertThat(queue.counts().total()).isZero();
    }

    @Test
    @DisplayName("deadLetter(reason) moves the job to the dead letters with the reason")
    void deadLetterByWorker() throws Exception {
        RedisJobQueue queue = queue(LONG_LEASE);
        queue.put(job("bad"));
        takeNow(queue).deadLetter("the step keeps crashing");
        assertThat(queue.deadLetters(5)).singleElement()
                .satisfies(letter -> {
                    assertThat(letter.reason()).isEqualTo("the step keeps crashing");
                    assertThat(letter.jobId()).isEqualTo("bad");
                });
        assertThat(queue.counts().total()).isZero();
    }

    @Test
    @DisplayName("a job over maxJobBytes is refused before anything is written")
    void tooLarge() {
        RedisJobQueue queue = fixture.backend().queue(RedisQueueOptions.builder().maxJobBytes(100).build());
        Job big = job("big").toBuilder().lastReturnValue(TextNode.valueOf("x".repeat(200))).build();
        assertThatThrownBy(() -> queue.put(big))
                .isInstanceOf(JobTooLargeException.class)
                .hasMessageContaining("limit of 100 bytes");
        assertThat(queue.counts().total()).isZero();
    }

    @Test
    @DisplayName("many threads taking at once each get different jobs, every job exactly once")
    void concurrentTakers() throws Exception {
        RedisJobQueue queue = queue(LONG_LEASE);
        int jobs = 200;
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        try {
            List<CompletableFuture<Void>> takers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                takers.add(CompletableFuture.runAsync(() -> {
                    try {
                        Optional<Delivery> delivery;
                        while ((delivery = queue.take(Duration.ofMillis(1_500))).isPresent()) {
                            seen.add(delivery.get().job().id().value());
                            delivery.get().ack();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, pool));
            }
            for (int i = 0; i < jobs; i++) {
                queue.put(job("c" + i));
            }
            CompletableFuture.allOf(takers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(seen).hasSize(jobs);
        assertThat(new HashSet<>(seen)).hasSize(jobs);
        assertThat(queue.counts().total()).isZero();
    }

    @Test
    @DisplayName("the wake-up signal list stays small while nobody takes")
    void signalsStayBounded() {
        RedisJobQueue queue = queue(LONG_LEASE);
        for (int i = 0; i < 200; i++) {
            queue.put(job("s" + i));
        }
        assertThat(fixture.raw().llen(queue.keys().signal())).isEqualTo(64);
        assertThat(queue.counts().ready()).isEqualTo(200);
    }

    @Test
    @DisplayName("checkCapacity names poolSize when the pool can't serve the takers")
    void checkCapacity() {
        RedisJobQueue queue = fixture.backend(RedisOptions.builder().poolSize(6)).queue();
        queue.checkCapacity(4);
        assertThatThrownBy(() -> queue.checkCapacity(5))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("poolSize is 6")
                .hasMessageContaining("poolSize(7)");
    }

    @Test
    @DisplayName("an interrupted taker stops waiting with InterruptedException")
    void interruptible() throws Exception {
        RedisJobQueue queue = queue(LONG_LEASE);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread taker = new Thread(() -> {
            try {
                queue.take(Duration.ofSeconds(60));
                outcome.set(new AssertionError("take returned"));
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        taker.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> blockedTakers(queue) > 0);
        taker.interrupt();
        taker.join(Duration.ofSeconds(15).toMillis());
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
    }

    @Test
    @DisplayName("a closed queue refuses puts and takes")
    void closed() {
        RedisJobQueue queue = queue(LONG_LEASE);
        queue.close();
        queue.close();
        assertThatThrownBy(() -> queue.put(job("late"))).isInstanceOf(ErgateBackendException.class)
                .hasMessageContaining("after close()");
        assertThatThrownBy(() -> queue.take(Duration.ZERO)).isInstanceOf(ErgateBackendException.class);
    }

    @Test
    @DisplayName("scripts are sent again when Redis has forgotten them (restart, SCRIPT FLUSH, FUNCTION FLUSH)")
    void scriptCacheFlushed() throws Exception {
        RedisJobQueue queue = queue(LONG_LEASE);
        fixture.flushScripts(queue.backend());
        queue.put(job("after-flush"));
        assertThat(takeNow(queue).job().id()).isEqualTo(JobId.of("after-flush"));
    }

    @Test
    @DisplayName("a user the ACL refuses Functions (FCALL, FUNCTION) gets the same scripts by EVALSHA")
    void scriptsWithoutFunctions() throws Exception {
        RedisBackend backend = fixture.backendAsUserWithout("-fcall", "-function");
        RedisJobQueue queue = backend.queue(RedisQueueOptions.builder().leaseTime(LONG_LEASE).build());
        queue.put(job("by-evalsha"));
        assertThat(takeNow(queue).job().id()).isEqualTo(JobId.of("by-evalsha"));
    }

    @Test
    @DisplayName("scripts run as Redis Functions: a library per script, loaded where the call found none")
    void scriptsRunAsFunctions() throws Exception {
        RedisJobQueue queue = queue(LONG_LEASE);
        fixture.flushScripts(queue.backend());
        String library = Scripts.PUT.functionName();
        assertThat(fixture.hasFunctionLibrary(queue.backend(), library)).isFalse();
        queue.put(job("as-function"));
        assertThat(fixture.hasFunctionLibrary(queue.backend(), library)).as(library).isTrue();
        assertThat(takeNow(queue).job().id()).isEqualTo(JobId.of("as-function"));
    }
}
