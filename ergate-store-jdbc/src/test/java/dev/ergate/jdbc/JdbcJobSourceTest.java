package dev.ergate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.ErgatePublisher;
import dev.ergate.runtime.PublisherOptions;
import dev.ergate.spi.AtomicPublish;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobSource;
import dev.ergate.spi.JobTooLargeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("JdbcJobSource against PostgreSQL")
class JdbcJobSourceTest {

    private static String schema;
    private static JdbcBackend backend;
    private String workflow;

    @BeforeAll
    static void setUp() {
        schema = PostgresFixture.newSchema("source");
        backend = JdbcBackend.create(PostgresFixture.dataSource(), PostgresFixture.options(schema).build());
    }

    @AfterAll
    static void tearDown() {
        if (backend != null) {
            backend.close();
            PostgresFixture.dropSchema(schema);
        }
    }

    @BeforeEach
    void clean() {
        PostgresFixture.execute("delete from " + backend.tables().jobs());
        workflow = "wf-" + UUID.randomUUID();
    }

    private Job job(String id, JobStatus status, Instant start) {
        return Job.builder().id(id).workflowName(workflow).status(status).requestedStartTime(start).build();
    }

    @Test
    @DisplayName("hands out due SCHEDULED and PENDING jobs, oldest due first, and nothing else")
    void claimsDueOnly() {
        Instant now = Instant.now();
        backend.store().update(job("late", JobStatus.SCHEDULED, now.minusSeconds(10)));
        backend.store().update(job("early", JobStatus.SCHEDULED, now.minusSeconds(100)));
        backend.store().update(job("pending", JobStatus.PENDING, now.minusSeconds(50)));
        backend.store().update(job("future", JobStatus.SCHEDULED, now.plusSeconds(3)));
        backend.store().update(job("queued", JobStatus.QUEUED, now.minusSeconds(500)));
        backend.store().update(job("done", JobStatus.COMPLETED, now.minusSeconds(500)));
        JdbcJobSource source = backend.jobSource();
        assertThat(source.claimDue(now, 10)).extracting(j -> j.id().value())
                .containsExactly("early", "pending", "late");
        assertThat(source.claimDue(now, 10)).as("claimed ones are not handed out again").isEmpty();
        assertThat(backend.jobSource().claimDue(now, 10)).as("nor to another publisher").isEmpty();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(source.claimDue(Instant.now(), 10)).extracting(j -> j.id().value()).containsExactly("future"));
    }

    @Test
    @DisplayName("published records QUEUED and drops the claim; publishFailed offers the job again")
    void publishOutcomes() {
        Instant now = Instant.now();
        backend.store().update(job("ok", JobStatus.SCHEDULED, now));
        backend.store().update(job("bad", JobStatus.SCHEDULED, now));
        JdbcJobSource source = backend.jobSource();
        List<Job> claimed = source.claimDue(now, 10);
        assertThat(claimed).hasSize(2);
        for (Job job : claimed) {
            if (job.id().value().equals("ok")) {
                source.published(job.toBuilder().status(JobStatus.QUEUED).build());
            } else {
                source.publishFailed(job, new IllegalStateException("queue down"));
            }
        }
        assertThat(backend.store().find(JobId.of("ok")).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(backend.jobSource().claimDue(now, 10)).extracting(j -> j.id().value()).containsExactly("bad");
    }

    @Test
    @DisplayName("published does not overwrite a state a worker wrote meanwhile")
    void publishedAfterWorker() {
        Instant now = Instant.now();
        backend.store().update(job("fast", JobStatus.PENDING, now));
        JdbcJobSource source = backend.jobSource();
        Job claimed = source.claimDue(now, 10).get(0);
        backend.store().update(claimed.toBuilder().status(JobStatus.RUNNING).stepName("s2").build());
        source.published(claimed.toBuilder().status(JobStatus.QUEUED).build());
        assertThat(backend.store().find(JobId.of("fast")).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    @DisplayName("a claim that is never reported runs out, so a crashed publisher loses nothing")
    void claimTimesOut() {
        JdbcBackend shortClaims = shortClaims();
        try {
            shortClaims.store().update(job("orphan", JobStatus.SCHEDULED, Instant.now()));
            assertThat(shortClaims.jobSource().claimDue(Instant.now(), 10)).hasSize(1);
            assertThat(shortClaims.jobSource().claimDue(Instant.now(), 10)).isEmpty();
            JdbcJobSource heir = shortClaims.jobSource();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    assertThat(heir.claimDue(Instant.now(), 10)).extracting(j -> j.id().value()).containsExactly("orphan"));
        } finally {
            shortClaims.close();
        }
    }

    /** Another backend on this test's tables, with 1 s publisher claims. */
    private static JdbcBackend shortClaims() {
        return JdbcBackend.create(PostgresFixture.dataSource(), PostgresFixture.options(schema)
                .publisherClaimTimeout(Duration.ofSeconds(1)).build());
    }

    @Test
    @DisplayName("a publisher whose clock runs 2 minutes ahead publishes nothing early: PostgreSQL's clock decides")
    void clockAheadPublishesNothingEarly() {
        backend.store().update(job("in-a-minute", JobStatus.SCHEDULED, Instant.now().plusSeconds(60)));
        backend.store().update(job("due", JobStatus.PENDING, Instant.now().minusSeconds(1)));

        assertThat(backend.jobSource().claimDue(Instant.now().plus(Duration.ofMinutes(2)), 10))
                .extracting(j -> j.id().value()).containsExactly("due");
    }

    @Test
    @DisplayName("skewed publisher clocks neither take over a live claim nor make one run out early")
    void skewedClocksKeepClaims() {
        backend.store().update(job("behind", JobStatus.PENDING, null));
        backend.store().update(job("ahead", JobStatus.PENDING, null));
        Instant now = Instant.now();
        JdbcJobSource slow = backend.jobSource();
        JdbcJobSource fast = backend.jobSource();

        // a claim made by a publisher 2 minutes behind still holds for the claim timeout
        assertThat(slow.claimDue(now.minus(Duration.ofMinutes(2)), 1)).extracting(j -> j.id().value())
                .containsExactly("behind");
        // a publisher 2 minutes ahead (past the 60 s claim timeout) takes neither claim
        assertThat(fast.claimDue(now.plus(Duration.ofMinutes(2)), 10)).extracting(j -> j.id().value())
                .containsExactly("ahead");
        assertThat(backend.jobSource().claimDue(now.plus(Duration.ofMinutes(2)), 10)).as("both claims live").isEmpty();
    }

    @Test
    @DisplayName("an atomic publish puts the job and records QUEUED in one transaction, only under its claim")
    void atomicPublish() {
        JdbcJobQueue queue = backend.queue("atomic-" + workflow, Duration.ofSeconds(30));
        backend.store().update(job("mine", JobStatus.PENDING, null));
        backend.store().update(job("raced", JobStatus.PENDING, null));
        JdbcJobSource source = backend.jobSource();
        AtomicPublish publish = source.atomicPublish(queue).orElseThrow();
        List<Job> claimed = source.claimDue(Instant.now(), 10);
        assertThat(claimed).hasSize(2);
        Job mine = claimed.stream().filter(j -> j.id().value().equals("mine")).findFirst().orElseThrow();
        Job raced = claimed.stream().filter(j -> j.id().value().equals("raced")).findFirst().orElseThrow();
        // a worker (or a cancel) wrote a newer state of "raced": the claim is gone with it
        backend.store().update(raced.toBuilder().status(JobStatus.RUNNING).stepName("a").build());

        assertThat(publish.publish(mine.toBuilder().status(JobStatus.QUEUED).build())).isTrue();
        assertThat(publish.publish(raced.toBuilder().status(JobStatus.QUEUED).build())).as("claim lost").isFalse();

        assertThat(messagesFor(queue, "mine")).isEqualTo(1);
        assertThat(messagesFor(queue, "raced")).as("nothing put without the claim").isZero();
        assertThat(backend.store().find(JobId.of("mine")).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(backend.store().find(JobId.of("raced")).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(source.claimDue(Instant.now(), 10)).isEmpty();
    }

    @Test
    @DisplayName("an atomic publish of a job over the size limit changes nothing; it is offered only on this backend's queues")
    void atomicPublishEdges() {
        JdbcBackend small = JdbcBackend.create(PostgresFixture.dataSource(), PostgresFixture.options(schema)
                .maxJobBytes(1024).build());
        try {
            JdbcJobQueue queue = small.queue("small-" + workflow, Duration.ofSeconds(30));
            small.store().update(job("big", JobStatus.PENDING, null).toBuilder()
                    .initialInputValue(com.fasterxml.jackson.databind.node.TextNode.valueOf("x".repeat(2000))).build());
            JdbcJobSource source = small.jobSource();
            Job claimed = source.claimDue(Instant.now(), 10).get(0);

            assertThatThrownBy(() -> source.atomicPublish(queue).orElseThrow()
                    .publish(claimed.toBuilder().status(JobStatus.QUEUED).build()))
                    .isInstanceOf(JobTooLargeException.class);
            assertThat(messagesFor(queue, "big")).isZero();
            assertThat(small.store().find(JobId.of("big")).orElseThrow().status()).isEqualTo(JobStatus.PENDING);
            assertThat(source.atomicPublish(backend.queue())).as("another backend's queue").isEmpty();
        } finally {
            small.close();
        }
    }

    @Test
    @DisplayName("a publisher paused past its claim timeout, whose job another publisher published, puts no second message")
    void pausedPublisherPutsNoSecondMessage() {
        JdbcBackend shortClaims = shortClaims();
        try {
            JdbcJobQueue queue = shortClaims.queue("paused-" + workflow, Duration.ofSeconds(30));
            shortClaims.store().update(job("once", JobStatus.PENDING, null));
            PublisherOptions fast = PublisherOptions.builder().pollInterval(Duration.ofMillis(50)).build();
            try (ErgatePublisher heir = ErgatePublisher.builder(shortClaims.jobSource(), queue).options(fast).build()) {
                // the first publisher claims, then stalls (a GC pause, a slow network) past its claim:
                // meanwhile the heir claims the job again and publishes it
                JobSource stalling = new ClaimThenWait(shortClaims.jobSource(), () -> await()
                        .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> heir.publishDue() == 1));
                try (ErgatePublisher paused = ErgatePublisher.builder(stalling, queue).options(fast).build()) {
                    assertThat(paused.publishDue()).as("put by the stalled publisher").isZero();
                }
            }
            assertThat(messagesFor(queue, "once")).as("messages for the job").isEqualTo(1);
            assertThat(shortClaims.store().find(JobId.of("once")).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        } finally {
            shortClaims.close();
        }
    }

    private long messagesFor(JdbcJobQueue queue, String jobId) {
        return Long.parseLong(java.util.Objects.requireNonNull(PostgresFixture.queryString("select count(*) from "
                + backend.tables().queue() + " where queue_name = '" + queue.name() + "' and job_id = '" + jobId + "'")));
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

    @Test
    @DisplayName("publishers racing for the same jobs never get one job twice")
    void racingPublishers() throws Exception {
        Instant now = Instant.now();
        int jobs = 300;
        for (int i = 0; i < jobs; i++) {
            backend.store().update(job("r" + i, JobStatus.SCHEDULED, now.minusSeconds(i)));
        }
        Set<JobId> claimed = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        ExecutorService publishers = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            JdbcJobSource source = backend.jobSource();
            futures.add(publishers.submit(() -> {
                List<Job> batch;
                while (!(batch = source.claimDue(now, 7)).isEmpty()) {
                    for (Job job : batch) {
                        if (!claimed.add(job.id())) {
                            duplicates.incrementAndGet();
                        }
                        source.published(job.toBuilder().status(JobStatus.QUEUED).build());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        publishers.shutdown();
        assertThat(duplicates).hasValue(0);
        assertThat(claimed).hasSize(jobs);
    }
}
