package dev.ergate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.Workflow;
import dev.ergate.spi.JobQuery;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A real Ergate worker on PostgreSQL")
class ErgateOnPostgresTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static String schema;
    private static JdbcBackend backend;
    private Ergate app;
    private JdbcJobQueue queue;

    @BeforeAll
    static void setUp() {
        schema = PostgresFixture.newSchema("e2e");
        backend = JdbcBackend.create(PostgresFixture.dataSource(), PostgresFixture.options(schema).build());
    }

    @AfterAll
    static void tearDown() {
        if (backend != null) {
            backend.close();
            PostgresFixture.dropSchema(schema);
        }
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (queue != null) {
            queue.close();
        }
    }

    static Workflow calc(String name) {
        return Workflow.builder(name)
                .step("add", Integer.class, (n, ctx) -> n + 1)
                .step("mul", Integer.class, (n, ctx) -> n * 10)
                .step("show", Integer.class, (n, ctx) -> "=" + n)
                .build();
    }

    private Ergate worker(int threads, Workflow workflow) {
        queue = backend.queue("e2e-" + UUID.randomUUID(), Duration.ofSeconds(30));
        return Ergate.builder(queue, backend.store())
                .options(ErgateOptions.builder().concurrency(threads).handleSignals(false)
                        .pollTimeout(Duration.ofSeconds(1)).build())
                .build()
                .registerWorkflow(workflow);
    }

    @Test
    @DisplayName("runs every job of a 3-step workflow to COMPLETED, each step one transaction")
    void threeSteps() {
        String workflow = "calc-" + UUID.randomUUID();
        app = worker(4, calc(workflow));
        int jobs = 200;
        for (int i = 0; i < jobs; i++) {
            queue.put(Job.builder().workflowName(workflow).id(workflow + "-" + i)
                    .initialInputValue(IntNode.valueOf(i)).build());
        }
        app.start();
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> backend.store()
                .list(JobQuery.builder().workflowName(workflow).status(JobStatus.COMPLETED)
                        .pageSize(JobQuery.MAX_PAGE_SIZE).build()).jobs().size() == jobs);
        for (int i = 0; i < jobs; i++) {
            JobId id = JobId.of(workflow + "-" + i);
            Job done = backend.store().find(id).orElseThrow();
            assertThat(done.lastReturnValue().textValue()).isEqualTo("=" + (i + 1) * 10);
            assertThat(done.stepsCompleted()).isEqualTo(3);
            assertThat(backend.store().history(id)).extracting(JobTransition::status).containsExactly(
                    JobStatus.RUNNING, JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.QUEUED,
                    JobStatus.RUNNING, JobStatus.COMPLETED);
        }
        assertThat(queue.counts().total()).isZero();
    }

    @Test
    @DisplayName("a job cancelled in the store becomes CANCELLED instead of running its next step")
    void cancel() throws Exception {
        String workflow = "cancel-" + UUID.randomUUID();
        CountDownLatch firstStepRunning = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        AtomicInteger secondStepRuns = new AtomicInteger();
        app = worker(1, Workflow.builder(workflow)
                .step("first", JsonNode.class, (in, ctx) -> {
                    firstStepRunning.countDown();
                    cancelled.await(30, TimeUnit.SECONDS);
                    return 1;
                })
                .step("second", JsonNode.class, (in, ctx) -> secondStepRuns.incrementAndGet())
                .build());
        JobId id = JobId.of(workflow);
        queue.put(Job.builder().workflowName(workflow).id(id).build());
        app.start();
        assertThat(firstStepRunning.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(backend.store().requestCancel(id)).isTrue();
        cancelled.countDown();
        await().atMost(DEADLINE).until(() -> backend.store().find(id).orElseThrow().status() == JobStatus.CANCELLED);
        assertThat(secondStepRuns).hasValue(0);
        await().atMost(DEADLINE).until(() -> queue.counts().total() == 0);
    }
}
