package dev.ergate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.AtomicStepFinish;
import dev.ergate.spi.DeadLetter;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.ErgateBackendException;
import dev.ergate.spi.JobTooLargeException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@DisplayName("JdbcJobQueue against PostgreSQL")
class JdbcJobQueueTest {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcJobQueueTest.class);
    private static final Duration LONG = Duration.ofSeconds(20);
    private static String schema;
    private static JdbcBackend backend;
    private final List<JdbcJobQueue> opened = new ArrayList<>();
    private String name;

    @BeforeAll
    static void setUp() {
        schema = PostgresFixture.newSchema("queue");
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
    void name() {
        name = "q-" + UUID.randomUUID();
    }

    @AfterEach
    void closeQueues() {
        opened.forEach(JdbcJobQueue::close);
    }

    private JdbcJobQueue queue(Duration lease) {
        JdbcJobQueue queue = backend.queue(name, lease);
        opened.add(queue);
        return queue;
    }

    private static Job job(String id) {
        return Job.builder().id(id).workflowName("wf").stepName("s1")
                .initialInputValue(JsonNodeFactory.instance.numberNode(21))
                .extraField("current_step", JsonNodeFactory.instance.numberNode(0))
                .build();
    }

    @Test
    @DisplayName("hands out what was put, exactly, leased to one taker")
    void putTake() throws Exception {
        JdbcJobQueue queue = queue(Duration.ofSeconds(30));
        Job job = job("a");
        Instant before = Instant.now();
        queue.put(job);
        Delivery d = queue.take(LONG).orElseThrow();
        assertThat(d.job()).isEqualTo(job);
        assertThat(d.job().extraField("current_step")).isNotNull();
        assertThat(d.deliveryCount()).isEqualTo(1);
        assertThat(d.leaseExpiresAt()).isBetween(before.plusSeconds(29), Instant.now().plusSeconds(31));
        assertThat(queue.take(Duration.ZERO)).as("leased: nobody else gets it").isEmpty();
        d.ack();
        assertThat(queue.counts().total()).isZero();
    }

    @Test
    @DisplayName("take waits up to maxWait, then returns empty")
    void takeTimesOut() throws Exception {
        JdbcJobQueue queue = queue(Duration.ofSeconds(30));
        long start = System.nanoTime();
        assertThat(queue.take(Duration.ofMillis(300))).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    @DisplayName("an idle taker wakes on NOTIFY from another process, long before its poll interval")
    void wakesOnNotify() throws Exception {
        JdbcBackend slowPoller = JdbcBackend.create(PostgresFixture.dataSource(),
                PostgresFixture.options(schema).pollInterval(Duration.ofMinutes(10)).build());
        JdbcBackend producer = JdbcBackend.create(PostgresFixture.dataSource(),
                PostgresFixture.options(schema).build());
        ExecutorService taker = Executors.newSingleThreadExecutor();
        try {
            JdbcJobQueue consumerQueue = slowPoller.queue(name, Duration.ofSeconds(30));
            JdbcJobQueue producerQueue = producer.queue(name, Duration.ofSeconds(30));
            await().atMost(LONG).until(() -> slowPoller.listener().isListening());
            List<Long> latenciesMicros = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                CountDownLatch waiting = new CountDownLatch(1);
                Future<Long> took = taker.submit(() -> {
                    waiting.countDown();
                    Delivery d = consumerQueue.take(Duration.ofMinutes(1)).orElseThrow();
                    long at = System.nanoTime();
                    d.ack();
                    return at;
                });
                waiting.await();
                // let the taker look at the empty table and go to sleep on its signal
                await().pollDelay(Duration.ofMillis(200)).atMost(LONG).until(() -> true);
                long putAt = System.nanoTime();
                producerQueue.put(job("n" + i));
                long tookAt = took.get(30, TimeUnit.SECONDS);
                latenciesMicros.add((tookAt - putAt) / 1000);
            }
            LOG.info("NOTIFY wake-up latency, put to take (µs): {}", latenciesMicros);
            assertThat(latenciesMicros).allMatch(us -> us < 5_000_000, "woken within 5 s, not after the 10 min poll");
        } finally {
            taker.shutdownNow();
            slowPoller.close();
            producer.close();
        }
    }

    @Test
    @DisplayName("requested_start_time delays delivery until then")
    void notBefore() throws Exception {
        JdbcJobQueue queue = queue(Duration.ofSeconds(30));
        Instant start = Instant.now().plusMillis(1500);
        queue.put(job("later").toBuilder().requestedStartTime(start).build());
        assertThat(queue.take(Duration.ZERO)).isEmpty();
        Delivery d = queue.take(LONG).orElseThrow();
        assertThat(Instant.now()).isAfterOrEqualTo(start);
        d.ack();
    }

    @Test
    @DisplayName("a lease that runs out makes the job available again; the old lease can't touch the new one")
    void leaseExpiry() throws Exception {
        JdbcJobQueue queue = queue(Duration.ofSeconds(1));
        queue.put(job("x"));
        Delivery first = queue.take(LONG).orElseThrow();
        Delivery second = queue.take(LONG).orElseThrow();
        assertThat(second.job().id()).isEqualTo(JobId.of("x"));
        assertThat(second.deliveryCount()).isEqualTo(2);
        assertThatThrownBy(() -> first.extend(Duration.ofSeconds(5)))
                .isInstanceOf(ErgateBackendException.class).hasMessageContaining("lost");
        first.release(Duration.ZERO); // late: must not give back the second taker's message
        first.deadLetter("late");
        first.ack();
        assertThat(queue.counts().total()).isEqualTo(1);
        assertThat(queue.take(Duration.ZERO)).as("the second lease holds").isEmpty();
        second.ack();
        assertThat(queue.counts().total()).isZero();
        assertThat(queue.deadLetters(10)).isEmpty();
    }

    @Test
    @DisplayName("extend keeps the lease while a long step runs")
    void extend() throws Exception {
        JdbcJobQueue queue = queue(Duration.ofSeconds(1));
        queue.put(job("long"));
        Delivery d = queue.take(LONG).orElseThrow();
        d.extend(Duration.ofSeconds(30));
        assertThat(d.leaseExpiresAt()).isAfter(Instant.now().plusSeconds(25));
        assertThat(queue.take(Duration.ofMillis(2500))).as("still leased after the first lease time").isEmpty();
        d.ack();
    }

    @Test
    @DisplayName("release gives the job back at once, or after a delay")
    void release() throws Exception {
        JdbcJobQueue queue = queue(Duration.ofSeconds(30));
        queue.put(job("r"));
        queue.take(LONG).orElseThrow().release(Duration.ZERO);
        Delivery again = queue.take(Duration.ofSeconds(5)).orElseThrow();
        assertThat(again.deliveryCount()).isEqualTo(2);
        Instant releasedAt = Instant.now();
        again.release(Duration.ofMillis(1200));
        assertThat(queue.take(Duration.ZERO)).isEmpty();
        Delivery third = queue.take(LONG).orElseThrow();
        assertThat(Instant.now()).isAfterOrEqualTo(releasedAt.plusMillis(1200));
        third.ack();
    }

    @Test
    @DisplayName("deadLetter moves the message, with its reason and text, to the dead letters")
    void deadLetter() throws Exception {
        JdbcJobQueue queue = queue(Duration.ofSeconds(30));
        queue.put(job("poison"));
        queue.take(LONG).orElseThrow().deadLetter("kills workers");
        assertThat(queue.counts().total()).isZero();
        List<DeadLetter> dead = queue.deadLetters(10);
        assertThat(dead).singleElement().satisfies(letter -> {
            assertThat(letter.reason()).isEqualTo("kills workers");
            assertThat(letter.jobId()).isEqualTo("poison");
            assertThat(letter.body()).contains("\"id\":\"poison\"");
            assertThat(letter.deliveryCount()).isEqualTo(1);
        });
    }

    @Test
    @DisplayName("a message that is not a job is never handed out: it goes to the dead letters")
    void undecodable() throws Exception {
        JdbcJobQueue queue = queue(Duration.ofSeconds(30));
        putRaw(name, "{not json".getBytes(StandardCharsets.UTF_8));
        putRaw(name, new byte[] {(byte) 0xff, 0, 1});
        putRaw(name, "{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        queue.put(job("good"));
        Delivery d = queue.take(LONG).orElseThrow();
        assertThat(d.job().id()).isEqualTo(JobId.of("good"));
        d.ack();
        assertThat(queue.take(Duration.ZERO)).isEmpty();
        List<DeadLetter> dead = queue.deadLetters(10);
        assertThat(dead).hasSize(3);
        assertThat(dead.get(0).body()).isEqualTo("{not json");
        assertThat(dead.get(2).reason()).contains("workflow_name");
    }

    @Test
    @DisplayName("a job over maxJobBytes is refused before anything is written")
    void tooLarge() {
        JdbcBackend small = JdbcBackend.create(PostgresFixture.dataSource(),
                PostgresFixture.options(schema).maxJobBytes(1024).migrateOnStart(false).build());
        try {
            JdbcJobQueue queue = small.queue(name, Duration.ofSeconds(30));
            Job big = job("big").toBuilder()
                    .userContext(JsonNodeFactory.instance.textNode("x".repeat(2000))).build();
            assertThatThrownBy(() -> queue.put(big)).isInstanceOf(JobTooLargeException.class)
                    .hasMessageContaining("big").hasMessageContaining("1024");
            assertThat(queue.counts().total()).isZero();
        } finally {
            small.close();
        }
    }

    @Test
    @DisplayName("many takers at once: every job delivered, none to two takers")
    void concurrentTakers() throws Exception {
        JdbcJobQueue queue = queue(Duration.ofSeconds(60));
        int jobs = 400;
        for (int i = 0; i < jobs; i++) {
            queue.put(job("c" + i));
        }
        Set<JobId> delivered = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        ExecutorService takers = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            futures.add(takers.submit(() -> {
                Optional<Delivery> d;
                while ((d = queue.take(Duration.ofMillis(500))).isPresent()) {
                    if (!delivered.add(d.get().job().id())) {
                        duplicates.incrementAndGet();
                    }
                    d.get().ack();
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        takers.shutdown();
        assertThat(duplicates).hasValue(0);
        assertThat(delivered).hasSize(jobs);
        assertThat(queue.counts().total()).isZero();
    }

    @Test
    @DisplayName("atomic finish: state, next step and ack in one transaction")
    void atomicFinish() throws Exception {
        JdbcJobQueue queue = queue(Duration.ofSeconds(30));
        JdbcJobStore store = backend.store();
        AtomicStepFinish finish = queue.atomicStepFinish(store).orElseThrow();
        Job job = job("atomic-" + name);
        queue.put(job);
        Delivery d = queue.take(LONG).orElseThrow();
        Job state = job.toBuilder().status(JobStatus.QUEUED).stepName("s2").stepsCompleted(1).build();
        finish.finish(d, state, state);
        assertThat(store.find(job.id())).contains(state);
        Delivery next = queue.take(LONG).orElseThrow();
        assertThat(next.job()).isEqualTo(state);
        assertThat(queue.counts().total()).as("the first message is gone, the next is there").isEqualTo(1);
        Job done = state.toBuilder().status(JobStatus.COMPLETED).stepsCompleted(2).percentCompleted(100).build();
        finish.finish(next, done, null);
        assertThat(queue.counts().total()).isZero();
        assertThat(store.find(job.id())).contains(done);
    }

    @Test
    @DisplayName("atomic finish with a lost lease changes nothing")
    void atomicFinishLostLease() throws Exception {
        JdbcJobQueue queue = queue(Duration.ofSeconds(1));
        JdbcJobStore store = backend.store();
        Job job = job("lost-" + name);
        queue.put(job);
        Delivery stale = queue.take(LONG).orElseThrow();
        Delivery current = queue.take(LONG).orElseThrow(); // after the first lease ran out
        Job state = job.toBuilder().status(JobStatus.QUEUED).stepName("s2").build();
        assertThatThrownBy(() -> queue.atomicStepFinish(store).orElseThrow().finish(stale, state, state))
                .isInstanceOf(ErgateBackendException.class).hasMessageContaining("lost")
                .matches(e -> !((ErgateBackendException) e).isTransient());
        assertThat(store.find(job.id())).as("state not written").isEmpty();
        assertThat(queue.counts().total()).as("next step not put, current lease kept").isEqualTo(1);
        current.ack();
    }

    @Test
    @DisplayName("group commit: finishes that arrive while one commits share the next statement; a lost lease fails alone")
    void finishesShareOneStatement() throws Exception {
        JdbcJobQueue queue = queue(Duration.ofSeconds(30));
        JdbcJobStore store = backend.store();
        AtomicStepFinish finish = queue.atomicStepFinish(store).orElseThrow();
        List<Delivery> taken = takeJobs(queue, "group-" + name, 5);
        Delivery lost = taken.get(3);
        ExecutorService threads = Executors.newCachedThreadPool();
        try (Connection holder = PostgresFixture.dataSource().getConnection()) {
            holder.setAutoCommit(false);
            // the first finish waits on its message's row lock, so the others pile up behind it
            lockMessage(holder, taken.get(0));
            Future<?> first = threads.submit(() -> finish.finish(taken.get(0), next(taken.get(0)), next(taken.get(0))));
            awaitBlockedBy(holder);
            stealLease(lost);
            List<Future<?>> others = new ArrayList<>();
            for (Delivery d : taken.subList(1, 5)) {
                others.add(threads.submit(() -> finish.finish(d, next(d), next(d))));
            }
            await().atMost(LONG).until(() -> queue.finishesWaiting() == 4);
            holder.rollback();

            first.get(30, TimeUnit.SECONDS);
            for (int i : List.of(0, 1, 3)) {
                others.get(i).get(30, TimeUnit.SECONDS);
            }
            assertThatThrownBy(() -> others.get(2).get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(ErgateBackendException.class).hasMessageContaining("lost")
                    .matches(e -> !((ErgateBackendException) e).isTransient());
        } finally {
            threads.shutdownNow();
        }
        List<Delivery> written = List.of(taken.get(1), taken.get(2), taken.get(4));
        assertThat(updatedAt(written)).as("one statement: one transaction time for all three").hasSize(1);
        for (Delivery d : written) {
            assertThat(store.find(d.job().id())).contains(next(d));
        }
        assertThat(store.find(lost.job().id())).as("nothing written for the lost lease").isEmpty();
        assertThat(queue.counts().total()).as("4 next steps and the message of the lost lease").isEqualTo(5);
    }

    @Test
    @DisplayName("group commit: a finish PostgreSQL refuses fails alone, the others of its batch are written")
    void badFinishFailsAlone() throws Exception {
        JdbcJobQueue queue = queue(Duration.ofSeconds(30));
        JdbcJobStore store = backend.store();
        AtomicStepFinish finish = queue.atomicStepFinish(store).orElseThrow();
        List<Delivery> taken = takeJobs(queue, "bad-" + name, 4);
        Delivery bad = taken.get(2);
        Job badState = next(bad).toBuilder().stepName("nul \u0000 in text").build();
        ExecutorService threads = Executors.newCachedThreadPool();
        try (Connection holder = PostgresFixture.dataSource().getConnection()) {
            holder.setAutoCommit(false);
            lockMessage(holder, taken.get(0));
            Future<?> first = threads.submit(() -> finish.finish(taken.get(0), next(taken.get(0)), null));
            awaitBlockedBy(holder);
            List<Future<?>> others = new ArrayList<>();
            for (Delivery d : taken.subList(1, 4)) {
                others.add(threads.submit(() -> finish.finish(d, d == bad ? badState : next(d), null)));
            }
            await().atMost(LONG).until(() -> queue.finishesWaiting() == 3);
            holder.rollback();

            first.get(30, TimeUnit.SECONDS);
            others.get(0).get(30, TimeUnit.SECONDS);
            others.get(2).get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> others.get(1).get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(ErgateBackendException.class).hasMessageContaining(bad.job().id().value());
        } finally {
            threads.shutdownNow();
        }
        for (Delivery d : List.of(taken.get(0), taken.get(1), taken.get(3))) {
            assertThat(store.find(d.job().id())).contains(next(d));
        }
        assertThat(store.find(bad.job().id())).isEmpty();
        assertThat(queue.counts().total()).as("only the refused finish's message is left, still leased").isEqualTo(1);
    }

    private static List<Delivery> takeJobs(JdbcJobQueue queue, String prefix, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            queue.put(job(prefix + "-" + i));
        }
        List<Delivery> taken = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            taken.add(queue.take(LONG).orElseThrow());
        }
        return taken;
    }

    private static Job next(Delivery d) {
        return d.job().toBuilder().status(JobStatus.QUEUED).stepName("s2").stepsCompleted(1).build();
    }

    private static void lockMessage(Connection holder, Delivery d) throws Exception {
        try (PreparedStatement st = holder.prepareStatement(
                "select 1 from " + backend.tables().queue() + " where id = ? for update")) {
            st.setLong(1, ((JdbcDelivery) d).messageId());
            st.executeQuery().close();
        }
    }

    /** Another taker's lease, as after this one ran out. */
    private static void stealLease(Delivery d) throws Exception {
        try (Connection c = PostgresFixture.dataSource().getConnection();
                PreparedStatement st = c.prepareStatement(
                        "update " + backend.tables().queue() + " set lease_token = gen_random_uuid() where id = ?")) {
            st.setLong(1, ((JdbcDelivery) d).messageId());
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
    }

    private static void awaitBlockedBy(Connection holder) throws Exception {
        int pid;
        try (PreparedStatement st = holder.prepareStatement("select pg_backend_pid()");
                java.sql.ResultSet rs = st.executeQuery()) {
            rs.next();
            pid = rs.getInt(1);
        }
        await().atMost(LONG).pollInterval(Duration.ofMillis(20)).until(() -> {
            try (Connection c = PostgresFixture.dataSource().getConnection();
                    PreparedStatement st = c.prepareStatement(
                            "select count(*) from pg_stat_activity where ? = any(pg_blocking_pids(pid))")) {
                st.setInt(1, pid);
                try (java.sql.ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return rs.getInt(1) > 0;
                }
            }
        });
    }

    /** @return the distinct update times of the jobs of {@code deliveries} */
    private static Set<OffsetDateTime> updatedAt(List<Delivery> deliveries) throws Exception {
        Set<OffsetDateTime> times = new java.util.HashSet<>();
        try (Connection c = PostgresFixture.dataSource().getConnection();
                PreparedStatement st = c.prepareStatement(
                        "select updated_at from " + backend.tables().jobs() + " where id = ? and not id_is_number")) {
            for (Delivery d : deliveries) {
                st.setString(1, d.job().id().value());
                try (java.sql.ResultSet rs = st.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    times.add(rs.getObject(1, OffsetDateTime.class));
                }
            }
        }
        return times;
    }

    @Test
    @DisplayName("atomic finish is offered only with a store on the same DataSource")
    void atomicOnlySameDatabase() {
        JdbcJobQueue queue = queue(Duration.ofSeconds(30));
        assertThat(queue.atomicStepFinish(backend.store())).isPresent();
        assertThat(queue.atomicStepFinish(job -> { })).isEmpty();
    }

    @Test
    @DisplayName("close wakes a blocked taker, which returns empty")
    void closeWakesTakers() throws Exception {
        JdbcJobQueue queue = backend.queue(name, Duration.ofSeconds(30));
        ExecutorService taker = Executors.newSingleThreadExecutor();
        try {
            Future<Optional<Delivery>> took = taker.submit(() -> queue.take(Duration.ofMinutes(5)));
            await().pollDelay(Duration.ofMillis(200)).atMost(LONG).until(() -> true);
            long start = System.nanoTime();
            queue.close();
            assertThat(took.get(10, TimeUnit.SECONDS)).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        } finally {
            taker.shutdownNow();
        }
    }

    /** Pushes raw bytes straight into the queue table, as a broken producer would. */
    static void putRaw(String queueName, byte[] payload) throws Exception {
        putRaw(backend, queueName, payload);
    }

    /** Pushes raw bytes straight into the queue table of {@code target}. */
    static void putRaw(JdbcBackend target, String queueName, byte[] payload) throws Exception {
        try (Connection c = PostgresFixture.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("insert into " + target.tables().queue()
                        + " (queue_name, payload, visible_at, enqueued_at) values (?, ?, ?, ?)")) {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            s.setString(1, queueName);
            s.setBytes(2, payload);
            s.setObject(3, now);
            s.setObject(4, now);
            s.executeUpdate();
        }
    }
}
