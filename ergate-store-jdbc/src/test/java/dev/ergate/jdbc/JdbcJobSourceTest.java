package dev.ergate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
        Instant now = Instant.parse("2030-01-01T12:00:00Z");
        backend.store().update(job("late", JobStatus.SCHEDULED, now.minusSeconds(10)));
        backend.store().update(job("early", JobStatus.SCHEDULED, now.minusSeconds(100)));
        backend.store().update(job("pending", JobStatus.PENDING, now.minusSeconds(50)));
        backend.store().update(job("future", JobStatus.SCHEDULED, now.plusSeconds(10)));
        backend.store().update(job("queued", JobStatus.QUEUED, now.minusSeconds(500)));
        backend.store().update(job("done", JobStatus.COMPLETED, now.minusSeconds(500)));
        JdbcJobSource source = backend.jobSource();
        assertThat(source.claimDue(now, 10)).extracting(j -> j.id().value())
                .containsExactly("early", "pending", "late");
        assertThat(source.claimDue(now, 10)).as("claimed ones are not handed out again").isEmpty();
        assertThat(backend.jobSource().claimDue(now, 10)).as("nor to another publisher").isEmpty();
        assertThat(source.claimDue(now.plusSeconds(20), 10)).extracting(j -> j.id().value()).containsExactly("future");
    }

    @Test
    @DisplayName("published records QUEUED and drops the claim; publishFailed offers the job again")
    void publishOutcomes() {
        Instant now = Instant.parse("2030-01-01T12:00:00Z");
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
        Instant now = Instant.parse("2030-01-01T12:00:00Z");
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
        Instant now = Instant.parse("2030-01-01T12:00:00Z");
        backend.store().update(job("orphan", JobStatus.SCHEDULED, now));
        assertThat(backend.jobSource().claimDue(now, 10)).hasSize(1);
        assertThat(backend.jobSource().claimDue(now.plusSeconds(30), 10)).isEmpty();
        assertThat(backend.jobSource().claimDue(now.plus(backend.options().publisherClaimTimeout()), 10))
                .extracting(j -> j.id().value()).containsExactly("orphan");
    }

    @Test
    @DisplayName("publishers racing for the same jobs never get one job twice")
    void racingPublishers() throws Exception {
        Instant now = Instant.parse("2030-01-01T12:00:00Z");
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
