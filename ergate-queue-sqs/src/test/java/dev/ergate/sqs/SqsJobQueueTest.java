package dev.ergate.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.ErgateBackendException;
import dev.ergate.spi.LeaseLostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

@DisplayName("SqsJobQueue on a standard queue")
class SqsJobQueueTest {

    private final List<SqsJobQueue> opened = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void closeAll() {
        threads.shutdownNow();
        opened.forEach(SqsJobQueue::close);
    }

    private SqsJobQueue open(String url, SqsQueueOptions config) {
        SqsJobQueue queue = SqsJobQueue.builder().client(SqsTestBackend.client()).queueUrl(url).queueOptions(config).build();
        opened.add(queue);
        return queue;
    }

    private SqsJobQueue open(String url, int leaseSeconds) {
        return open(url, SqsQueueOptions.builder().leaseTime(Duration.ofSeconds(leaseSeconds)).build());
    }

    private static int messagesLeft(String url) {
        return SqsTestBackend.count(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
                + SqsTestBackend.count(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)
                + SqsTestBackend.count(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);
    }

    @Test
    @DisplayName("a job comes back with every field, extra fields too, and a first delivery count of 1")
    void roundTrip() throws Exception {
        SqsJobQueue queue = open(SqsTestBackend.newQueue("roundtrip"), 30);
        Job job = Jobs.rich("rt-1");
        queue.put(job);
        Delivery delivery = queue.take(Duration.ofSeconds(5)).orElseThrow();
        assertThat(delivery.job()).isEqualTo(job);
        assertThat(delivery.job().extraFields()).containsKeys("current_step", "x_other");
        assertThat(delivery.deliveryCount()).isEqualTo(1);
        assertThat(delivery.leaseExpiresAt()).isBetween(Instant.now().plusSeconds(25), Instant.now().plusSeconds(31));
        delivery.ack();
    }

    @Test
    @DisplayName("take on an empty queue returns empty within its bound, also below one second and at zero")
    void emptyTakeHonoursBound() throws Exception {
        SqsJobQueue queue = open(SqsTestBackend.newQueue("empty"), 30);
        for (Duration bound : List.of(Duration.ofMillis(1500), Duration.ofMillis(300), Duration.ZERO)) {
            long start = System.nanoTime();
            assertThat(queue.take(bound)).isEmpty();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).as("take(%s)", bound).isLessThan(bound.plusMillis(900));
            if (bound.compareTo(Duration.ofSeconds(1)) > 0) {
                assertThat(took).as("take(%s) waited", bound).isGreaterThanOrEqualTo(bound.minusMillis(100));
            }
        }
    }

    @Test
    @DisplayName("a waiting take wakes up when a job is put")
    void takeWakesOnPut() throws Exception {
        SqsJobQueue queue = open(SqsTestBackend.newQueue("wake"), 30);
        Future<Optional<Delivery>> taker = threads.submit(() -> queue.take(Duration.ofSeconds(15)));
        await().atMost(Duration.ofSeconds(5)).until(() -> queue.receiver().waiting() == 1);
        long put = System.nanoTime();
        queue.put(Jobs.job("wake-1"));
        Delivery delivery = taker.get(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(Duration.ofNanos(System.nanoTime() - put)).isLessThan(Duration.ofSeconds(3));
        assertThat(delivery.job().id()).isEqualTo(JobId.of("wake-1"));
        delivery.ack();
    }

    @Test
    @DisplayName("one string opens a queue: sqs://NAME with endpoint, anonymous credentials and create=true")
    void fromUri() throws Exception {
        String name = "ergate-uri-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        try (SqsJobQueue queue = SqsJobQueue.fromUri("sqs://" + name + "?endpoint=" + SqsTestBackend.endpoint()
                + "&region=us-east-1&credentials=anonymous&create=true&leaseSeconds=7").build()) {
            assertThat(queue.queueUrl()).endsWith("/" + name);
            assertThat(queue.queueOptions().leaseTime()).isEqualTo(Duration.ofSeconds(7));
            queue.put(Jobs.job("uri-1"));
            Delivery delivery = queue.take(Duration.ofSeconds(5)).orElseThrow();
            assertThat(delivery.job().id()).isEqualTo(JobId.of("uri-1"));
            delivery.ack();
        }
        assertThatThrownBy(() -> SqsJobQueue.fromUri("sqs://missing-" + name + "?endpoint=" + SqsTestBackend.endpoint()
                + "&region=us-east-1&credentials=anonymous").build())
                .isInstanceOf(ErgateBackendException.class).hasMessageContaining("does not exist");
    }

    @Test
    @DisplayName("ack deletes the message; a second ack does nothing")
    void ackDeletes() throws Exception {
        String url = SqsTestBackend.newQueue("ack");
        SqsJobQueue queue = open(url, 30);
        queue.put(Jobs.job("ack-1"));
        Delivery delivery = queue.take(Duration.ofSeconds(5)).orElseThrow();
        delivery.ack();
        delivery.ack();
        assertThat(messagesLeft(url)).isZero();
    }

    @Test
    @DisplayName("release(0) hands the job out again at once with delivery count 2; release(d) waits d")
    void release() throws Exception {
        SqsJobQueue queue = open(SqsTestBackend.newQueue("release"), 30);
        queue.put(Jobs.job("rel-1"));
        queue.take(Duration.ofSeconds(5)).orElseThrow().release(Duration.ZERO);
        Delivery again = queue.take(Duration.ofSeconds(5)).orElseThrow();
        assertThat(again.deliveryCount()).isEqualTo(2);

        Instant released = Instant.now();
        again.release(Duration.ofSeconds(3));
        assertThat(queue.take(Duration.ofSeconds(1))).isEmpty();
        Delivery third = queue.take(Duration.ofSeconds(10)).orElseThrow();
        assertThat(Duration.between(released, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
        assertThat(third.deliveryCount()).isEqualTo(3);
        third.ack();
    }

    @Test
    @DisplayName("a taken job that is not acked comes back after its lease; an extended one does not")
    void visibility() throws Exception {
        SqsJobQueue queue = open(SqsTestBackend.newQueue("visibility"), 2);
        queue.put(Jobs.job("lost-1"));
        Delivery lost = queue.take(Duration.ofSeconds(5)).orElseThrow();
        Instant takenAt = Instant.now();
        Delivery back = queue.take(Duration.ofSeconds(10)).orElseThrow();
        assertThat(Duration.between(takenAt, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        assertThat(back.job().id()).isEqualTo(lost.job().id());
        assertThat(back.deliveryCount()).isEqualTo(2);

        back.extend(Duration.ofSeconds(8));
        assertThat(back.leaseExpiresAt()).isAfter(Instant.now().plusSeconds(6));
        assertThat(queue.take(Duration.ofSeconds(4))).as("extended lease still held").isEmpty();
        back.ack();
        assertThat(queue.take(Duration.ofSeconds(3))).isEmpty();
    }

    @Test
    @DisplayName("ending a delivery whose lease moved to another taker changes nothing and leaves that taker's lease alone")
    void staleLease() throws Exception {
        String url = SqsTestBackend.newQueue("stale");
        SqsJobQueue queue = open(url, 1);
        queue.put(Jobs.job("stale-1"));
        Delivery first = queue.take(Duration.ofSeconds(5)).orElseThrow();
        Delivery second = queue.take(Duration.ofSeconds(10)).orElseThrow();
        second.extend(Duration.ofSeconds(20));

        assertThatThrownBy(() -> first.extend(Duration.ofSeconds(20))).isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("stale-1").hasMessageContaining("lease")
                .satisfies(e -> assertThat(((ErgateBackendException) e).isTransient()).isFalse());
        first.ack();
        assertThat(SqsTestBackend.count(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .as("second taker still holds it").isEqualTo(1);
        second.ack();
        assertThat(messagesLeft(url)).isZero();
    }

    @Test
    @DisplayName("a take blocked in a long poll is interrupted promptly")
    void interrupt() throws Exception {
        SqsJobQueue queue = open(SqsTestBackend.newQueue("interrupt"), 30);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread taker = new Thread(() -> {
            try {
                queue.take(Duration.ofSeconds(20));
                outcome.set(new AssertionError("take returned"));
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        taker.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> queue.receiver().waiting() == 1);
        long start = System.nanoTime();
        taker.interrupt();
        taker.join(10_000);
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    @DisplayName("close wakes waiting takers with empty, and later calls are refused")
    void close() throws Exception {
        SqsJobQueue queue = open(SqsTestBackend.newQueue("close"), 30);
        Future<Optional<Delivery>> taker = threads.submit(() -> queue.take(Duration.ofSeconds(15)));
        await().atMost(Duration.ofSeconds(5)).until(() -> queue.receiver().waiting() == 1);
        long start = System.nanoTime();
        queue.close();
        queue.close();
        assertThat(taker.get(21, TimeUnit.SECONDS)).isEmpty();
        assertThatThrownBy(() -> queue.put(Jobs.job("late"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(queue.queueUrl());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(21));
    }

    @Test
    @DisplayName("many takers share the queue: every job is handed out once")
    void concurrentTakers() throws Exception {
        String url = SqsTestBackend.newQueue("concurrent");
        SqsJobQueue queue = open(url, 30);
        int jobs = 60;
        for (int i = 0; i < jobs; i++) {
            queue.put(Jobs.job("c-" + i));
        }
        Set<JobId> seen = ConcurrentHashMap.newKeySet();
        List<JobId> duplicates = new CopyOnWriteArrayList<>();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            workers.add(threads.submit(() -> {
                while (seen.size() < jobs) {
                    Optional<Delivery> d = queue.take(Duration.ofSeconds(2));
                    if (d.isPresent()) {
                        if (!seen.add(d.get().job().id())) {
                            duplicates.add(d.get().job().id());
                        }
                        d.get().ack();
                    }
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get(60, TimeUnit.SECONDS);
        }
        assertThat(seen).hasSize(jobs);
        assertThat(duplicates).isEmpty();
        assertThat(messagesLeft(url)).isZero();
    }

    @Test
    @DisplayName("received messages no taker picked up are made visible again within the prefetch hold")
    void prefetchedMessagesAreReleased() throws Exception {
        String url = SqsTestBackend.newQueue("prefetch");
        SqsJobQueue queue = open(url, SqsQueueOptions.builder().leaseTime(Duration.ofSeconds(60))
                .maxPrefetchHold(Duration.ofMillis(500)).build());
        for (int i = 0; i < 3; i++) {
            queue.put(Jobs.job("p-" + i));
        }
        // stand for a receive that asked for three takers of which two gave up meanwhile
        List<Message> batch = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            batch.addAll(SqsTestBackend.client().receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)
                    .visibilityTimeout(60)).messages());
            return batch.size() == 3;
        });
        Instant at = Instant.now();
        long nanos = System.nanoTime();
        List<Inbound> inbound = new ArrayList<>();
        for (Message m : batch) {
            inbound.add(new Inbound(m, dev.ergate.JobCodec.standard().decode(m.body()), at, at, nanos, 1));
        }
        queue.receiver().addReceived(inbound);
        Delivery one = queue.take(Duration.ZERO).orElseThrow();
        assertThat(queue.bufferedMessages()).isEqualTo(2);

        await().atMost(Duration.ofSeconds(5)).until(() -> queue.bufferedMessages() == 0);
        await().atMost(Duration.ofSeconds(5)).until(() ->
                SqsTestBackend.count(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES) == 2);
        assertThat(Duration.between(at, Instant.now())).as("well before the 60 s lease").isLessThan(Duration.ofSeconds(15));
        one.ack();
    }
}
