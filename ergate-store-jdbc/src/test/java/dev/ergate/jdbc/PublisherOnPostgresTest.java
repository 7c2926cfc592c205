package dev.ergate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.ErgatePublisher;
import dev.ergate.runtime.PublisherOptions;
import dev.ergate.runtime.Workflow;
import dev.ergate.spi.JobQuery;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The runtime's ErgatePublisher over JdbcJobSource")
class PublisherOnPostgresTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static String schema;
    private static JdbcBackend backend;

    @BeforeAll
    static void setUp() {
        schema = PostgresFixture.newSchema("publisher");
        backend = JdbcBackend.create(PostgresFixture.dataSource(), PostgresFixture.options(schema).build());
    }

    @AfterAll
    static void tearDown() {
        if (backend != null) {
            backend.close();
            PostgresFixture.dropSchema(schema);
        }
    }

    @Test
    @DisplayName("with a PENDING-style worker and two publishers, moves every job through every step once")
    void pendingStyle() {
        int jobs = 60;
        Workflow workflow = Workflow.builder("pending")
                .step("a", Integer.class, (n, ctx) -> n + 1)
                .step("b", Integer.class, (n, ctx) -> n * 2)
                .step("c", Integer.class, (n, ctx) -> n - 1)
                .build();
        JdbcJobQueue queue = backend.queue("pending", Duration.ofSeconds(30));
        Instant later = Instant.now().plusSeconds(1);
        for (int i = 0; i < jobs; i++) {
            backend.store().update(Job.builder().id(JobId.of(i)).workflowName("pending")
                    .status(i % 2 == 0 ? JobStatus.PENDING : JobStatus.SCHEDULED)
                    .requestedStartTime(i % 2 == 0 ? null : later)
                    .initialInputValue(IntNode.valueOf(i)).build());
        }
        ErgateOptions options = ErgateOptions.builder().concurrency(4).afterStepStatus(JobStatus.PENDING)
                .pollTimeout(Duration.ofMillis(500)).handleSignals(false).build();
        PublisherOptions publishing = PublisherOptions.builder().pollInterval(Duration.ofMillis(50)).batchSize(10).build();
        try (Ergate worker = Ergate.builder(queue, backend.store()).options(options).build().registerWorkflow(workflow);
                ErgatePublisher one = ErgatePublisher.builder(backend.jobSource(), queue).options(publishing).build();
                ErgatePublisher two = ErgatePublisher.builder(backend.jobSource(), queue).options(publishing).build()) {
            worker.start();
            one.start();
            two.start();
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> backend.store()
                    .list(JobQuery.builder().status(JobStatus.COMPLETED).pageSize(1000).build()).jobs().size() == jobs);
        }
        for (int i = 0; i < jobs; i++) {
            JobId id = JobId.of(i);
            assertThat(backend.store().find(id).orElseThrow().lastReturnValue().intValue()).isEqualTo((i + 1) * 2 - 1);
            assertThat(backend.store().history(id)).extracting(JobTransition::status)
                    .as("job %d ran each step once", i)
                    .filteredOn(status -> status == JobStatus.RUNNING).hasSize(3);
        }
        assertThat(queue.counts().total()).isZero();
    }
}
