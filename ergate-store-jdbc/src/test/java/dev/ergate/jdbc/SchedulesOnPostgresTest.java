package dev.ergate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ergate.Job;
import dev.ergate.JobStatus;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.Workflow;
import dev.ergate.runtime.schedule.Schedule;
import dev.ergate.spi.JobQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Recurring schedules fired by workers on PostgreSQL")
class SchedulesOnPostgresTest {

    private static String schema;
    private static JdbcBackend backend;

    @BeforeAll
    static void setUp() {
        schema = PostgresFixture.newSchema("schedules");
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
    @DisplayName("three workers with a 1-second schedule: consecutive ticks, each one job, none run twice")
    void workersFireEachTickOnce() {
        JdbcJobQueue queue = backend.queue("schedules", Duration.ofSeconds(30));
        ErgateClient client = ErgateClient.builder(queue).store(backend.store()).scheduleStore(backend.schedules())
                .build();
        client.schedules().save(Schedule.every("beat", Duration.ofSeconds(1)).workflow("ping").input(1).build());
        Workflow ping = Workflow.builder("ping").step("one", Integer.class, (n, ctx) -> n + 1).build();
        ErgateOptions options = ErgateOptions.builder().concurrency(2).pollTimeout(Duration.ofMillis(500))
                .handleSignals(false).build();
        try (Ergate a = worker(queue, options, ping); Ergate b = worker(queue, options, ping);
                Ergate c = worker(queue, options, ping)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> completed().size() >= 4);
        }
        List<Job> jobs = backend.store().list(JobQuery.builder().pageSize(1000).build()).jobs();
        List<Instant> ticks = jobs.stream()
                .map(job -> Instant.parse(job.id().value().substring("schedule:beat@".length()))).sorted().toList();
        assertThat(ticks).doesNotHaveDuplicates();
        assertThat(Duration.between(ticks.get(0), ticks.get(ticks.size() - 1)).toSeconds())
                .as("no tick missing between the first and the last").isEqualTo(ticks.size() - 1);
        for (Job job : jobs) {
            assertThat(backend.store().history(job.id())).extracting(JobTransition::status)
                    .as("job %s ran at most once", job.id()).filteredOn(status -> status == JobStatus.RUNNING)
                    .hasSizeLessThanOrEqualTo(1);
        }
    }

    private static Ergate worker(JdbcJobQueue queue, ErgateOptions options, Workflow workflow) {
        Ergate worker = Ergate.builder(queue, backend.store()).options(options).schedules(backend.schedules()).build()
                .registerWorkflow(workflow);
        worker.start();
        return worker;
    }

    private static List<Job> completed() {
        return backend.store().list(JobQuery.builder().status(JobStatus.COMPLETED).pageSize(1000).build()).jobs();
    }
}
