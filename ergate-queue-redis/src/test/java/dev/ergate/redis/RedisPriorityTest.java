package dev.ergate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.spi.AtomicStepFinish;
import dev.ergate.spi.DeadLetterFilter;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.RetryOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Priorities on Redis beyond the contract: every path that queues a job again keeps its priority
 * (the finish's next step, a delayed job coming due, the submit script, the admin's retry and
 * requeue), and
 * strict order starves a lower job under a stream of higher ones (the README says so).
 */
@DisplayName("Redis queue priorities")
class RedisPriorityTest {

    private static final Duration PROMPT = Duration.ofSeconds(5);
    private static RedisFixture fixture;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("priority");
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static Job job(String id, int priority) {
        return Job.builder().id(id).workflowName("wf").stepName("one").priority(priority).build();
    }

    private static String takeAndAck(RedisJobQueue queue) throws InterruptedException {
        Delivery delivery = queue.take(PROMPT).orElseThrow();
        delivery.ack();
        return delivery.job().id().value() + "@" + delivery.job().priority();
    }

    @Test
    @DisplayName("strict: a steady stream of higher jobs keeps a lower one waiting; it runs when the stream stops")
    void strictStarves() throws InterruptedException {
        RedisJobQueue queue = fixture.backend().queue();
        queue.put(job("low", 0));
        queue.put(job("high-0", 1));

        for (int i = 1; i <= 50; i++) {
            queue.put(job("high-" + i, 1)); // one more arrives before each take: the stream never dries up
            assertThat(takeAndAck(queue)).as("take %d", i).isEqualTo("high-" + (i - 1) + "@1");
        }
        assertThat(takeAndAck(queue)).isEqualTo("high-50@1");
        assertThat(takeAndAck(queue)).as("once no higher job is ready").isEqualTo("low@0");
    }

    @Test
    @DisplayName("the next step put by the finish script keeps its priority, and the claim on finish takes it first")
    void finishKeepsPriority() throws InterruptedException {
        RedisBackend backend = fixture.backend();
        RedisJobQueue queue = backend.queue();
        AtomicStepFinish finish = queue.atomicStepFinish(backend.store()).orElseThrow();
        queue.put(job("urgent", 5));
        queue.put(job("routine", 0));
        Delivery delivery = queue.take(PROMPT).orElseThrow();
        assertThat(delivery.job().id()).isEqualTo(JobId.of("urgent"));

        Job next = delivery.job().toBuilder().status(JobStatus.QUEUED).stepName("two").stepsCompleted(1).build();
        finish.finish(delivery, next, next);

        Delivery second = queue.take(Duration.ZERO).orElseThrow();
        assertThat(second.job()).as("the urgent job's next step, ahead of the routine job put before it")
                .isEqualTo(next);
        second.ack();
        assertThat(takeAndAck(queue)).isEqualTo("routine@0");
    }

    @Test
    @DisplayName("a delayed job competes by its priority once due")
    void delayedKeepsPriority() throws InterruptedException {
        RedisJobQueue queue = fixture.backend().queue();
        Instant due = Instant.now().plusMillis(300);
        queue.put(job("delayed-high", 2).toBuilder().requestedStartTime(due).build());
        queue.put(job("low-a", 0));
        queue.put(job("low-b", -1));
        waitUntil(due.plusMillis(200));

        assertThat(takeAndAck(queue)).isEqualTo("delayed-high@2");
        assertThat(takeAndAck(queue)).isEqualTo("low-a@0");
        assertThat(takeAndAck(queue)).isEqualTo("low-b@-1");
    }

    @Test
    @DisplayName("a release with a delay keeps the priority when the job comes due again")
    void delayedReleaseKeepsPriority() throws InterruptedException {
        RedisJobQueue queue = fixture.backend().queue();
        queue.put(job("high", 3));
        Delivery delivery = queue.take(PROMPT).orElseThrow();
        queue.put(job("low", 0));
        Instant released = Instant.now();
        delivery.release(Duration.ofMillis(300));
        waitUntil(released.plusMillis(500));

        assertThat(takeAndAck(queue)).isEqualTo("high@3");
        assertThat(takeAndAck(queue)).isEqualTo("low@0");
    }

    @Test
    @DisplayName("a submit through the client (the submit script) keeps the priority")
    void submitKeepsPriority() throws InterruptedException {
        RedisBackend backend = fixture.backend();
        RedisJobQueue queue = backend.queue();
        ErgateClient client = ErgateClient.builder(queue).store(backend.store()).build();
        JobId routine = client.submit("wf").submit();
        JobId urgent = client.submit("wf").priority(7).submit();

        assertThat(queue.take(PROMPT).orElseThrow().job().id()).isEqualTo(urgent);
        assertThat(queue.take(PROMPT).orElseThrow().job().id()).isEqualTo(routine);
    }

    @Test
    @DisplayName("an admin retry queues the job with its priority")
    void retryKeepsPriority() throws InterruptedException {
        RedisBackend backend = fixture.backend();
        RedisJobQueue queue = backend.queue();
        RedisJobStore store = backend.store();
        Job failed = job("failed-high", 4).toBuilder().status(JobStatus.FAILED).build();
        store.update(failed);
        queue.put(job("waiting-low", 0));

        assertThat(backend.admin().retryJob(JobId.of("failed-high"))).isEqualTo(RetryOutcome.RETRIED);

        assertThat(takeAndAck(queue)).isEqualTo("failed-high@4");
        assertThat(takeAndAck(queue)).isEqualTo("waiting-low@0");
        assertThat(fixture.raw().exists(queue.keys().priorities())).as("priorities of messages gone").isFalse();
    }

    @Test
    @DisplayName("a dead letter requeued by the admin keeps its priority")
    void requeueKeepsPriority() throws InterruptedException {
        RedisBackend backend = fixture.backend();
        RedisJobQueue queue = backend.queue();
        queue.put(job("dead-high", 6));
        queue.take(PROMPT).orElseThrow().deadLetter("test: given up");
        queue.put(job("waiting-low", 0));

        assertThat(backend.admin().requeueDeadLetters(DeadLetterFilter.all()).requeued()).hasSize(1);

        assertThat(takeAndAck(queue)).isEqualTo("dead-high@6");
        assertThat(takeAndAck(queue)).isEqualTo("waiting-low@0");
    }

    /** Waits (not busily) until the wall clock passes {@code when}, at most 10 s. */
    private static void waitUntil(Instant when) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Instant.now().isBefore(when) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        assertThat(Instant.now()).as("the clock").isAfterOrEqualTo(when);
    }
}
