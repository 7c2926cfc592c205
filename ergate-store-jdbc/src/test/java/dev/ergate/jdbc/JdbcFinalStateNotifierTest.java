package dev.ergate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.Workflow;
import dev.ergate.spi.FinalStateNotifier;
import dev.ergate.spi.JobPage;
import dev.ergate.spi.JobQuery;
import dev.ergate.spi.JobStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("JdbcFinalStateNotifier: final states NOTIFYed by the jobs table's trigger")
class JdbcFinalStateNotifierTest {

    private static String schema;
    private static JdbcBackend backend;

    @BeforeAll
    static void connect() {
        schema = PostgresFixture.newSchema("final");
        backend = JdbcBackend.create(PostgresFixture.dataSource(), PostgresFixture.options(schema).build());
    }

    @AfterAll
    static void cleanUp() {
        if (backend != null) {
            backend.close();
            PostgresFixture.dropSchema(schema);
        }
    }

    @Test
    @DisplayName("tells a subscriber of each final write, string and numeric ids, and of no other write")
    void finalWritesOnly() throws InterruptedException {
        JdbcJobStore store = backend.store();
        List<Job> told = new CopyOnWriteArrayList<>();
        try (JdbcFinalStateNotifier notifier = JdbcFinalStateNotifier.over(store)) {
            FinalStateNotifier.Subscription subscription = notifier.onFinalState(told::add);
            assertThat(notifier.awaitListening(Duration.ofSeconds(10))).as("listening").isTrue();
            Job text = Job.builder().id("n-1").workflowName("w").build();
            Job number = Job.builder().id(JobId.of(7)).workflowName("w").build();

            store.update(text);
            store.update(number.toBuilder().status(JobStatus.RUNNING).stepName("a").build());
            store.update(text.toBuilder().status(JobStatus.COMPLETED).stepsCompleted(1).build());
            store.update(number.toBuilder().status(JobStatus.FAILED).stepsCompleted(1).build());

            await().atMost(Duration.ofSeconds(10)).until(() -> told.size() >= 2);
            assertThat(told).extracting(Job::id).containsExactly(JobId.of("n-1"), JobId.of(7));
            assertThat(told).extracting(Job::status).containsExactly(JobStatus.COMPLETED, JobStatus.FAILED);
            subscription.close();
        }
    }

    @Test
    @DisplayName("wakes ErgateClient.await when a worker finishes the job, even where polling never sees it")
    void wakesAwait() throws InterruptedException {
        JdbcJobStore store = backend.store();
        JdbcJobQueue queue = backend.queue("final-" + UUID.randomUUID(), Duration.ofSeconds(30));
        try (JdbcFinalStateNotifier notifier = JdbcFinalStateNotifier.over(store);
                Ergate worker = Ergate.builder(queue, store)
                        .options(ErgateOptions.builder().concurrency(1).handleSignals(false)
                                .pollTimeout(Duration.ofMillis(100)).build())
                        .build()
                        .registerWorkflow(Workflow.builder("double").step("x2", Integer.class, (n, ctx) -> n * 2).build())) {
            ErgateClient client = ErgateClient.builder(queue).store(new StalePolls(store))
                    .finalStateNotifier(notifier).build();
            JobId id = client.submit("double").input(21).submit();
            CompletableFuture<Job> done = client.await(id, Duration.ofSeconds(60));
            assertThat(notifier.awaitListening(Duration.ofSeconds(10))).as("listening").isTrue();

            worker.start();

            Job job = done.join();
            assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(job.lastReturnValue().intValue()).isEqualTo(42);
        }
    }

    /** Reads always say QUEUED, so only the notification can end the wait. */
    private record StalePolls(JdbcJobStore real) implements JobStore {
        @Override
        public Optional<Job> find(JobId id) {
            return real.find(id).map(job -> job.toBuilder().status(JobStatus.QUEUED).build());
        }

        @Override
        public void update(Job job) {
            real.update(job);
        }

        @Override
        public JobPage list(JobQuery query) {
            return real.list(query);
        }

        @Override
        public boolean requestCancel(JobId id) {
            return real.requestCancel(id);
        }
    }
}
