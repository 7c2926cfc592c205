package dev.ergate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.ErgatePublisher;
import dev.ergate.runtime.PublisherOptions;
import dev.ergate.spi.AtomicPublish;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobSource;
import dev.ergate.spi.JobTooLargeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RedisJobSource's atomic publish against Redis")
class RedisJobSourceTest {

    private static RedisFixture fixture;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("source");
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static Job pending(String id) {
        return Job.builder().id(id).workflowName("wf").status(JobStatus.PENDING).stepName("a").build();
    }

    @Test
    @DisplayName("an atomic publish puts exactly one message and records QUEUED, only under its claim")
    void atomicPublish() throws InterruptedException {
        RedisBackend backend = fixture.backend();
        RedisJobStore store = backend.store();
        RedisJobQueue queue = backend.queue();
        store.update(pending("mine").toBuilder().priority(7).build());
        store.update(pending("raced"));
        RedisJobSource source = RedisJobSource.over(store);
        AtomicPublish publish = source.atomicPublish(queue).orElseThrow();
        List<Job> claimed = source.claimDue(Instant.now(), 10);
        assertThat(claimed).hasSize(2);
        Job mine = claimed.stream().filter(j -> j.id().value().equals("mine")).findFirst().orElseThrow();
        Job raced = claimed.stream().filter(j -> j.id().value().equals("raced")).findFirst().orElseThrow();
        // a worker (or a cancel) wrote a newer state of "raced": the claimed state is gone
        store.update(raced.toBuilder().status(JobStatus.RUNNING).build());

        assertThat(publish.publish(mine.toBuilder().status(JobStatus.QUEUED).build())).isTrue();
        assertThat(publish.publish(raced.toBuilder().status(JobStatus.QUEUED).build())).as("claim lost").isFalse();
        assertThat(publish.publish(mine.toBuilder().status(JobStatus.QUEUED).build())).as("published already").isFalse();

        assertThat(queue.counts().total()).as("messages").isEqualTo(1);
        Delivery delivery = queue.take(Duration.ofSeconds(5)).orElseThrow();
        assertThat(delivery.job().id()).isEqualTo(JobId.of("mine"));
        assertThat(delivery.job().priority()).as("priority kept").isEqualTo(7);
        assertThat(delivery.job().status()).isEqualTo(JobStatus.QUEUED);
        delivery.ack();
        assertThat(store.find(JobId.of("mine")).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(store.find(JobId.of("raced")).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(source.claimDue(Instant.now(), 10)).as("no claim left, nothing waiting").isEmpty();
    }

    @Test
    @DisplayName("an atomic publish of a job over the size limit changes nothing; it is offered only on this backend's queues")
    void atomicPublishEdges() {
        RedisBackend backend = fixture.backend();
        RedisJobStore store = backend.store();
        RedisJobQueue small = backend.queue(RedisQueueOptions.builder().name("small").maxJobBytes(1024).build());
        store.update(pending("big").toBuilder().initialInputValue(TextNode.valueOf("x".repeat(2000))).build());
        RedisJobSource source = RedisJobSource.over(store);
        Job claimed = source.claimDue(Instant.now(), 10).get(0);

        assertThatThrownBy(() -> source.atomicPublish(small).orElseThrow()
                .publish(claimed.toBuilder().status(JobStatus.QUEUED).build()))
                .isInstanceOf(JobTooLargeException.class);
        assertThat(small.counts().total()).isZero();
        assertThat(store.find(JobId.of("big")).orElseThrow().status()).isEqualTo(JobStatus.PENDING);
        assertThat(source.atomicPublish(fixture.backend().queue())).as("another backend's queue").isEmpty();
    }

    @Test
    @DisplayName("a publisher paused past its claim timeout, whose job another publisher published, puts no second message")
    void pausedPublisherPutsNoSecondMessage() {
        RedisBackend backend = fixture.backend();
        RedisJobStore store = backend.store();
        RedisJobQueue queue = backend.queue();
        store.update(pending("once"));
        Duration shortClaim = Duration.ofMillis(200);
        PublisherOptions fast = PublisherOptions.builder().pollInterval(Duration.ofMillis(50)).build();
        try (ErgatePublisher heir = ErgatePublisher.builder(RedisJobSource.over(store, shortClaim), queue)
                .options(fast).build()) {
            // the first publisher claims, then stalls (a GC pause, a slow network) past its claim:
            // meanwhile the heir claims the job again and publishes it
            JobSource stalling = new ClaimThenWait(RedisJobSource.over(store, shortClaim), () -> await()
                    .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> heir.publishDue() == 1));
            try (ErgatePublisher paused = ErgatePublisher.builder(stalling, queue).options(fast).build()) {
                assertThat(paused.publishDue()).as("put by the stalled publisher").isZero();
            }
        }
        assertThat(queue.counts().total()).as("messages for the job").isEqualTo(1);
        assertThat(store.find(JobId.of("once")).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
    }

    /** A source that, after a claim, runs {@code pause} before handing the jobs out. */
    private record ClaimThenWait(JobSource delegate, Runnable pause) implements JobSource {
        @Override
        public List<Job> claimDue(Instant now, int max) {
            List<Job> claimed = delegate.claimDue(now, max);
            pause.run();
            return claimed;
        }

        @Override
        public void published(Job queued) {
            delegate.published(queued);
        }

        @Override
        public void publishFailed(Job job, Exception failure) {
            delegate.publishFailed(job, failure);
        }

        @Override
        public Optional<AtomicPublish> atomicPublish(JobQueue queue) {
            return delegate.atomicPublish(queue);
        }
    }
}
