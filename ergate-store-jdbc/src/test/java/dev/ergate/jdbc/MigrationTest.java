package dev.ergate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ergate.JobStatus;
import dev.ergate.spi.ErgateBackendException;
import dev.ergate.spi.JobFilter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Schema migration")
class MigrationTest {

    private String schema;

    @BeforeEach
    void schema() {
        schema = PostgresFixture.newSchema("migrate");
    }

    @AfterEach
    void drop() {
        PostgresFixture.dropSchema(schema);
    }

    private JdbcBackend backend(String prefix) {
        return JdbcBackend.create(PostgresFixture.dataSource(),
                PostgresFixture.options(schema).tablePrefix(prefix).migrateOnStart(false).build());
    }

    @Test
    @DisplayName("creates the schema and every table once; running it again does nothing")
    void idempotent() throws Exception {
        try (JdbcBackend backend = backend("ergate_")) {
            assertThat(backend.migrate()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
            assertThat(backend.migrate()).isEmpty();
        }
        assertThat(tables()).containsExactlyInAnyOrder("ergate_jobs", "ergate_job_history", "ergate_queue",
                "ergate_dead_letters", "ergate_leases", "ergate_schedules", "ergate_schedule_claims",
                "ergate_final_listeners", "ergate_schema_version");
    }

    @Test
    @DisplayName("workers starting at once take turns: one migrates, the others find nothing to do")
    void concurrent() throws Exception {
        int workers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Integer>>> results = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            results.add(pool.submit(() -> {
                try (JdbcBackend backend = backend("ergate_")) {
                    start.await();
                    return backend.migrate();
                }
            }));
        }
        start.countDown();
        List<List<Integer>> applied = new ArrayList<>();
        for (Future<List<Integer>> result : results) {
            applied.add(result.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertThat(applied).filteredOn(list -> !list.isEmpty()).containsExactly(List.of(1, 2, 3, 4, 5, 6, 7, 8));
        assertThat(applied).filteredOn(List::isEmpty).hasSize(workers - 1);
    }

    @Test
    @DisplayName("two prefixes in one schema are two independent sets of tables")
    void prefixes() throws Exception {
        try (JdbcBackend a = backend("app_a_"); JdbcBackend b = backend("app_b_")) {
            assertThat(a.migrate()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
            assertThat(b.migrate()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        }
        assertThat(tables()).contains("app_a_jobs", "app_b_jobs", "app_a_queue", "app_b_queue");
    }

    @Test
    @DisplayName("upgrades a version 6 database in place: jobs, history, queue and unique keys kept, listings and the publisher work")
    void fromVersion6() throws Exception {
        try (JdbcBackend backend = backend("ergate_")) {
            assertThat(new Migrator(backend.tables()).migrate(backend.jdbi(), 6)).containsExactly(1, 2, 3, 4, 5, 6);
            JdbcJobStore store = backend.store();
            java.time.Instant past = java.time.Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            dev.ergate.Job queued = job("q", JobStatus.QUEUED);
            dev.ergate.Job failed = job("f", JobStatus.FAILED);
            dev.ergate.Job scheduled = job("s", JobStatus.SCHEDULED).toBuilder().requestedStartTime(past).build();
            dev.ergate.Job done = job("d", JobStatus.COMPLETED);
            for (dev.ergate.Job job : List.of(queued, failed, scheduled, done)) {
                store.update(job);
            }
            // as recordUnique wrote it at version 6 (today's statement names a column of version 7)
            dev.ergate.Job keyed = job("k", JobStatus.QUEUED);
            store.update(keyed);
            PostgresFixture.execute("update " + backend.tables().jobs() + " set unique_key = 'key-1' where id = 'mig-k'");
            JdbcJobQueue queue = backend.queue("mig", java.time.Duration.ofSeconds(30));
            queue.put(queued);

            assertThat(backend.migrate()).containsExactly(7, 8);

            for (dev.ergate.Job job : List.of(queued, failed, scheduled, done, keyed)) {
                assertThat(store.find(job.id())).contains(job);
            }
            assertThat(store.history(queued.id())).extracting(JobTransition::status).containsExactly(JobStatus.QUEUED);
            // the key is still held by its non-final job: a second job under it is refused
            assertThat(store.recordUnique(job("k2", JobStatus.QUEUED), "key-1", java.time.Duration.ZERO))
                    .contains(keyed.id());
            assertThat(backend.admin().listJobs(JobFilter.builder().status(JobStatus.FAILED).build()).items())
                    .extracting(j -> j.job().id()).containsExactly(failed.id());
            assertThat(backend.admin().listJobs(JobFilter.builder().status(JobStatus.QUEUED).build()).items())
                    .extracting(j -> j.job().id()).containsExactly(queued.id(), keyed.id());
            assertThat(store.list(dev.ergate.spi.JobQuery.builder().status(JobStatus.COMPLETED).build()).jobs())
                    .containsExactly(done);
            assertThat(backend.jobSource().claimDue(java.time.Instant.now(), 10)).extracting(dev.ergate.Job::id)
                    .containsExactly(scheduled.id());
            dev.ergate.spi.Delivery delivery = queue.take(java.time.Duration.ofSeconds(5)).orElseThrow();
            assertThat(delivery.job()).isEqualTo(queued);
            delivery.ack();
            // the final job's key is free again
            store.update(keyed.toBuilder().status(JobStatus.COMPLETED).build());
            assertThat(store.recordUnique(job("k3", JobStatus.QUEUED), "key-1", java.time.Duration.ZERO)).isEmpty();
            assertThat(store.deleteFinalJobsBefore(java.time.Instant.now().plusSeconds(60))).isEqualTo(3);
        }
    }

    private static dev.ergate.Job job(String id, JobStatus status) {
        return dev.ergate.Job.builder().id("mig-" + id).workflowName("wf").status(status).build();
    }

    @Test
    @DisplayName("refuses to run against a newer schema than it knows")
    void newerSchema() throws Exception {
        try (JdbcBackend backend = backend("ergate_")) {
            backend.migrate();
            PostgresFixture.execute("insert into " + backend.tables().schemaVersion()
                    + " (version, description, applied_at) values (99, 'future', now())");
            assertThatThrownBy(backend::migrate).isInstanceOf(ErgateBackendException.class)
                    .hasMessageContaining("99").hasMessageContaining("upgrade");
        }
    }

    @Test
    @DisplayName("connect(url) builds its own pool, migrates, and closes the pool with the backend")
    void connect() {
        JdbcBackend backend = JdbcBackend.connect(PostgresFixture.url(),
                PostgresFixture.options(schema).poolSize(2).build());
        try {
            backend.store().update(dev.ergate.Job.builder().id("c1").workflowName("wf").build());
            assertThat(backend.store().find(dev.ergate.JobId.of("c1"))).isPresent();
            assertThat(backend.toString()).startsWith("jdbc:postgresql://").contains(schema);
            backend.queue().checkCapacity(1);
        } finally {
            backend.close();
        }
        assertThat(((com.zaxxer.hikari.HikariDataSource) backend.dataSource()).isClosed()).isTrue();
    }

    @Test
    @DisplayName("connect(url) to nothing fails with a transient error naming the URL, without the password")
    void connectNowhere() {
        assertThatThrownBy(() -> JdbcBackend.connect("postgres://me:hunter2@127.0.0.1:1/nothing",
                JdbcOptions.defaults()))
                .isInstanceOf(ErgateBackendException.class)
                .hasMessageContaining("127.0.0.1:1")
                .hasMessageNotContaining("hunter2")
                .matches(e -> ((ErgateBackendException) e).isTransient());
    }

    private List<String> tables() throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = PostgresFixture.dataSource().getConnection();
                ResultSet rs = c.getMetaData().getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME"));
            }
        }
        return names;
    }
}
