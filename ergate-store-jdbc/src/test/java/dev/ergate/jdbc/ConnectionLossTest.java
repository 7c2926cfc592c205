package dev.ergate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.ErgateBackendException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Kills the backend connections of a pool (pg_terminate_backend, by application name) while
 * takers and the listener use them: operations fail with transient errors, the listener
 * reconnects, and no job is lost.
 */
@DisplayName("Connection loss against PostgreSQL")
class ConnectionLossTest {

    private String schema;
    private String app;
    private HikariDataSource pool;
    private JdbcBackend backend;
    private JdbcBackend producerBackend;

    @BeforeEach
    void setUp() {
        schema = PostgresFixture.newSchema("connloss");
        app = "ergate-connloss-" + UUID.randomUUID().toString().substring(0, 8);
        pool = PostgresFixture.newPool(PostgresFixture.url(), 6, app);
        backend = JdbcBackend.create(pool, PostgresFixture.options(schema).build());
    }

    @AfterEach
    void tearDown() {
        if (producerBackend != null) {
            producerBackend.close();
        }
        if (backend != null) {
            backend.close();
        }
        if (pool != null) {
            pool.close();
        }
        PostgresFixture.dropSchema(schema);
    }

    @Test
    @DisplayName("takers and the listener survive their connections being killed, losing no job")
    void survivesKilledConnections() throws Exception {
        JdbcJobQueue queue = backend.queue("q", Duration.ofSeconds(5));
        producerBackend = JdbcBackend.create(PostgresFixture.dataSource(),
                PostgresFixture.options(schema).migrateOnStart(false).build());
        JdbcJobQueue producer = producerBackend.queue("q", Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(20)).until(() -> backend.listener().isListening());
        int jobs = 300;
        Set<JobId> done = ConcurrentHashMap.newKeySet();
        AtomicInteger transientFailures = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService workers = Executors.newFixedThreadPool(3);
        Future<?>[] futures = new Future<?>[3];
        for (int w = 0; w < 3; w++) {
            futures[w] = workers.submit(() -> {
                while (!stop.get()) {
                    try {
                        Optional<Delivery> d = queue.take(Duration.ofMillis(500));
                        if (d.isPresent()) {
                            Job job = d.get().job();
                            backend.store().update(job.toBuilder().status(JobStatus.COMPLETED).build());
                            d.get().ack();
                            done.add(job.id());
                        }
                    } catch (ErgateBackendException e) {
                        if (!e.isTransient()) {
                            throw e;
                        }
                        transientFailures.incrementAndGet(); // what the worker does: back off, retry
                        Thread.sleep(50);
                    }
                }
                return null;
            });
        }
        try {
            int kills = 0;
            for (int i = 0; i < jobs; i++) {
                producer.put(Job.builder().id("j" + i).workflowName("wf").build());
                if (i % 60 == 30) {
                    kills += killConnections();
                    await().atMost(Duration.ofSeconds(20)).until(() -> backend.listener().isListening());
                }
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> done.size() == jobs);
            assertThat(kills).as("connections were really killed").isGreaterThan(0);
        } finally {
            stop.set(true);
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
            workers.shutdown();
        }
        assertThat(done).hasSize(jobs);
        assertThat(queue.size()).isZero();
        assertThat(backend.listener().isListening()).isTrue();
        // after all that, an idle taker is still woken by NOTIFY, not by its poll
        long start = System.nanoTime();
        JdbcJobQueue again = backend.queue("q2", Duration.ofSeconds(5));
        ExecutorService taker = Executors.newSingleThreadExecutor();
        try {
            Future<Optional<Delivery>> took = taker.submit(() -> again.take(Duration.ofSeconds(30)));
            await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> true);
            producerBackend.queue("q2", Duration.ofSeconds(5)).put(Job.builder().id("late").workflowName("wf").build());
            assertThat(took.get(10, TimeUnit.SECONDS)).isPresent();
        } finally {
            taker.shutdownNow();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    /** @return how many backends were terminated */
    private int killConnections() throws Exception {
        int killed = 0;
        try (Connection c = PostgresFixture.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select pg_terminate_backend(pid) from pg_stat_activity "
                        + "where application_name = '" + app + "'")) {
            while (rs.next()) {
                if (rs.getBoolean(1)) {
                    killed++;
                }
            }
        }
        return killed;
    }
}
