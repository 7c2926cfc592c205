package dev.ergate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.AtomicStepFinish;
import dev.ergate.spi.Delivery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** One job's locked row must not stall or fail the finishes it shares a statement with (issue 14, item 14). */
@DisplayName("PostgreSQL group commit under a lock wait")
class GroupCommitTimeoutTest {

    private static String schema;
    private static JdbcBackend backend;

    @BeforeAll
    static void setUp() {
        schema = PostgresFixture.newSchema("group");
        backend = JdbcBackend.create(PostgresFixture.dataSource(), PostgresFixture.options(schema)
                .finishTimeout(Duration.ofSeconds(2)).build());
    }

    @AfterAll
    static void tearDown() {
        if (backend != null) {
            backend.close();
            PostgresFixture.dropSchema(schema);
        }
    }

    @Test
    @DisplayName("finishes batched with a job whose row is locked commit; only that job's finish fails")
    void innocentFinishesCommit() throws Exception {
        JdbcJobQueue queue = backend.queue("group-" + UUID.randomUUID(), Duration.ofMinutes(5));
        JdbcJobStore store = backend.store();
        String prefix = "g-" + UUID.randomUUID() + "-";
        Map<String, Delivery> deliveries = new HashMap<>();
        for (String id : new String[] {"x", "a", "b"}) {
            Job job = Job.builder().id(prefix + id).workflowName("wf").status(JobStatus.QUEUED).build();
            store.update(job);
            queue.put(job);
            Delivery d = queue.take(Duration.ofSeconds(20)).orElseThrow();
            deliveries.put(d.job().id().value().substring(prefix.length()), d);
        }
        AtomicStepFinish finish = queue.atomicStepFinish(store).orElseThrow();
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try (Connection holder = PostgresFixture.dataSource().getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("select id from \"" + schema
                    + "\".ergate_jobs where id in (?, ?) for update")) {
                lock.setString(1, prefix + "x");
                lock.setString(2, prefix + "a");
                lock.executeQuery().close();
            }
            Future<?> x = threads.submit(() -> finishOf(finish, deliveries.get("x")));
            await().atMost(Duration.ofSeconds(10)).until(() -> queue.finishesWaiting() == 0 && !x.isDone());
            Future<?> a = threads.submit(() -> finishOf(finish, deliveries.get("a")));
            Future<?> b = threads.submit(() -> finishOf(finish, deliveries.get("b")));

            await().atMost(Duration.ofSeconds(30)).until(b::isDone);
            b.get();
            assertThat(store.find(JobId.of(prefix + "b")).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
            await().atMost(Duration.ofSeconds(30)).until(a::isDone);
            assertThat(failed(a)).as("the finish of the locked job").isTrue();
            assertThat(failed(x)).as("the finish of the other locked job").isTrue();
            assertThat(store.find(JobId.of(prefix + "a")).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
            holder.rollback();
        } finally {
            threads.shutdownNow();
        }
    }

    private static void finishOf(AtomicStepFinish finish, Delivery delivery) {
        finish.finish(delivery, delivery.job().toBuilder().status(JobStatus.COMPLETED).build(), null);
    }

    private static boolean failed(Future<?> future) throws InterruptedException {
        try {
            future.get();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        }
    }
}
