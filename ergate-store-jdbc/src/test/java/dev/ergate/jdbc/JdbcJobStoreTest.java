package dev.ergate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.JobPage;
import dev.ergate.spi.JobQuery;
import dev.ergate.spi.StepStart;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("JdbcJobStore against PostgreSQL")
class JdbcJobStoreTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static String schema;
    private static JdbcBackend backend;
    private JdbcJobStore store;
    private String workflow;

    @BeforeAll
    static void setUp() {
        schema = PostgresFixture.newSchema("store");
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
    void eachTest() {
        store = backend.store();
        workflow = "wf-" + java.util.UUID.randomUUID();
    }

    private Job job(String id) {
        return Job.builder().id(id).workflowName(workflow).build();
    }

    @Test
    @DisplayName("keeps every field through update and find, extra fields and numeric ids too")
    void roundTrip() throws Exception {
        ObjectNode context = JsonNodeFactory.instance.objectNode().put("user", "alice").put("n", 3);
        Job job = Job.builder()
                .id(JobId.of(new BigInteger("123456789012345678901234567890")))
                .workflowName(workflow)
                .stepName("step_2")
                .status(JobStatus.RUNNING)
                .stepsCompleted(1)
                .percentCompleted(33.5)
                .initialInputValue(MAPPER.readTree("{\"a\":[1,2.5,\"x\",null,true],\"b\":{\"c\":\"é ✓\"}}"))
                .lastReturnValue(MAPPER.readTree("42"))
                .exceptionTraceback("Traceback:\n  line 1")
                .userContext(context)
                .requestedStartTime(Instant.parse("2030-01-02T03:04:05.123456Z"))
                .extraField("current_step", MAPPER.readTree("2"))
                .extraField("origin", MAPPER.readTree("{\"system\":\"x\"}"))
                .build();
        store.update(job);
        assertThat(store.find(job.id())).contains(job);
        assertThat(store.find(JobId.of("123456789012345678901234567890")))
                .as("a string id with the same text is another job").isEmpty();
    }

    @Test
    @DisplayName("upserts by id: the second update replaces the first, JSON null included")
    void upsert() throws Exception {
        Job first = job("u1").toBuilder().lastReturnValue(MAPPER.readTree("[1]")).build();
        store.update(first);
        Job second = first.toBuilder().status(JobStatus.COMPLETED).stepsCompleted(2).percentCompleted(100)
                .lastReturnValue(null).build();
        store.update(second);
        assertThat(store.find(first.id())).contains(second);
        assertThat(store.history(first.id())).extracting(JobTransition::status, JobTransition::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(JobStatus.QUEUED, 1L),
                        org.assertj.core.groups.Tuple.tuple(JobStatus.COMPLETED, 2L));
    }

    @Test
    @DisplayName("refuses a job without id, naming its workflow")
    void noId() {
        assertThatThrownBy(() -> store.update(Job.of(workflow)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(workflow);
    }

    @Test
    @DisplayName("a cancel request survives a concurrent non-final update, but not a final one")
    void cancelKeptUntilFinal() {
        Job job = job("c1").toBuilder().status(JobStatus.QUEUED).build();
        store.update(job);
        assertThat(store.requestCancel(job.id())).isTrue();
        assertThat(store.requestCancel(job.id())).as("already cancelling").isTrue();
        store.update(job.toBuilder().status(JobStatus.RUNNING).stepName("s2").build());
        Job stored = store.find(job.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(JobStatus.CANCELLING);
        assertThat(stored.stepName()).as("other fields are replaced").isEqualTo("s2");
        store.update(job.toBuilder().status(JobStatus.CANCELLED).build());
        assertThat(store.find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(store.requestCancel(job.id())).as("final jobs can't be cancelled").isFalse();
        assertThat(store.requestCancel(JobId.of("nope"))).as("unknown job").isFalse();
        assertThat(store.history(job.id())).extracting(JobTransition::status).containsExactly(
                JobStatus.QUEUED, JobStatus.CANCELLING, JobStatus.CANCELLING, JobStatus.CANCELLED);
    }

    @Test
    @DisplayName("a late RUNNING write (stale lease after a crash) never replaces a final state")
    void lateRunningKeepsFinal() {
        Job job = job("late1").toBuilder().status(JobStatus.QUEUED).build();
        store.update(job);
        store.update(job.toBuilder().status(JobStatus.COMPLETED).stepName(null).build());
        // the worker whose claim the crash undid runs the step again and writes RUNNING last: refused
        assertThatThrownBy(() -> store.update(job.toBuilder().status(JobStatus.RUNNING).stepName("s3").build()))
                .isInstanceOf(dev.ergate.spi.StaleStateException.class).hasMessageContaining("COMPLETED");
        Job stored = store.find(job.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(store.history(job.id())).extracting(JobTransition::status)
                .containsExactly(JobStatus.QUEUED, JobStatus.COMPLETED);
        assertThatThrownBy(() -> store.update(job.toBuilder().status(JobStatus.RUNNING).stepName("s1").build()))
                .isInstanceOf(dev.ergate.spi.StaleStateException.class);
        assertThat(store.find(JobId.of("late1")).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    @DisplayName("a step start that waits on the row while a cancel request commits reports the cancel, writes nothing")
    void startStepSeesCancelCommittedWhileItWaited() throws Exception {
        Job job = job("start-wait-cancel").toBuilder().status(JobStatus.QUEUED).build();
        store.update(job);
        Job running = job.toBuilder().status(JobStatus.RUNNING).stepName("s1").build();
        try (Connection holder = PostgresFixture.dataSource().getConnection()) {
            holder.setAutoCommit(false);
            // the start's snapshot sees QUEUED; the cancel lands after it, while the start waits on the row lock
            execute(holder, "update " + jobsTable() + " set status = 'CANCELLING', version = version + 1 "
                    + "where id = 'start-wait-cancel'");
            Future<StepStart> start = startInBackground(running);
            awaitBlockedBy(holder);
            holder.commit();

            assertThat(start.get(30, TimeUnit.SECONDS)).isEqualTo(StepStart.CANCEL_REQUESTED);
        }
        Job stored = store.find(job.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(JobStatus.CANCELLING);
        assertThat(stored.stepName()).as("the RUNNING state was not written").isNull();
        assertThat(store.history(job.id())).extracting(JobTransition::status).containsExactly(JobStatus.QUEUED);
    }

    @Test
    @DisplayName("a step start over a job another transaction is inserting as final reports it final, writes nothing")
    void startStepSeesFinalInsertedWhileItWaited() throws Exception {
        Job running = job("start-wait-insert").toBuilder().status(JobStatus.RUNNING).stepName("s1").build();
        try (Connection holder = PostgresFixture.dataSource().getConnection()) {
            holder.setAutoCommit(false);
            // invisible to the start's snapshot: its insert meets this row's key and waits for the commit
            execute(holder, "insert into " + jobsTable() + " (id, workflow_name, status, created_at, updated_at) "
                    + "values ('start-wait-insert', '" + workflow + "', 'COMPLETED', now(), now())");
            Future<StepStart> start = startInBackground(running);
            awaitBlockedBy(holder);
            holder.commit();

            assertThat(start.get(30, TimeUnit.SECONDS)).isEqualTo(StepStart.ALREADY_FINAL);
        }
        assertThat(store.find(running.id()).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(store.history(running.id())).as("nothing recorded for the refused start").isEmpty();
    }

    @Test
    @DisplayName("a step start writes RUNNING and records it in the history")
    void startStepRecordsHistory() {
        Job job = job("start-history").toBuilder().status(JobStatus.QUEUED).build();
        store.update(job);
        Job running = job.toBuilder().status(JobStatus.RUNNING).stepName("s1").build();

        assertThat(store.startStep(running)).isEqualTo(StepStart.STARTED);

        assertThat(store.find(job.id())).contains(running);
        assertThat(store.history(job.id())).extracting(JobTransition::status, JobTransition::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(JobStatus.QUEUED, 1L),
                        org.assertj.core.groups.Tuple.tuple(JobStatus.RUNNING, 2L));
    }

    private Future<StepStart> startInBackground(Job running) {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            return thread.submit(() -> store.startStep(running));
        } finally {
            thread.shutdown();
        }
    }

    /** Waits until some other session waits on a lock {@code holder}'s transaction holds. */
    private static void awaitBlockedBy(Connection holder) throws SQLException {
        int holderPid;
        try (Statement st = holder.createStatement(); ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
            rs.next();
            holderPid = rs.getInt(1);
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            try (Connection c = PostgresFixture.dataSource().getConnection();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("select count(*) from pg_stat_activity where "
                            + holderPid + " = any(pg_blocking_pids(pid))")) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        });
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        }
    }

    private static String jobsTable() {
        return new Tables(schema, "ergate_").jobs();
    }

    @Test
    @DisplayName("lists by status and workflow in pages, each job exactly once")
    void listPages() {
        for (int i = 0; i < 25; i++) {
            store.update(job("l" + i).toBuilder().status(i % 2 == 0 ? JobStatus.COMPLETED : JobStatus.FAILED).build());
        }
        store.update(Job.builder().id("other-" + workflow).workflowName(workflow + "-other")
                .status(JobStatus.COMPLETED).build());
        List<String> seen = walk(JobQuery.builder().workflowName(workflow).status(JobStatus.COMPLETED).pageSize(4));
        assertThat(seen).hasSize(13).doesNotHaveDuplicates().allMatch(id -> Integer.parseInt(id.substring(1)) % 2 == 0);
        assertThat(walk(JobQuery.builder().workflowName(workflow).pageSize(7))).hasSize(25);
        JobPage all = store.list(JobQuery.builder().workflowName(workflow).pageSize(25).build());
        assertThat(all.jobs()).hasSize(25);
        assertThat(all.nextCursor()).as("exactly one page").isNull();
    }

    @Test
    @DisplayName("paging is stable while other jobs are written: none twice, none of the old ones missed")
    void listUnderConcurrentWrites() throws Exception {
        for (int i = 0; i < 300; i++) {
            store.update(job("s" + i));
        }
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService writers = Executors.newFixedThreadPool(2);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int writer = w;
            futures.add(writers.submit(() -> {
                int n = 0;
                while (!stop.get()) {
                    // touch old jobs (each write a step further: the fence refuses a repeat) and add
                    // new ones while the walk goes on
                    try {
                        store.update(job("s" + (n * 7 % 300)).toBuilder().stepsCompleted(1 + n * 2 + writer).build());
                    } catch (dev.ergate.spi.StaleStateException otherWriterAhead) {
                        // the other writer wrote this job further along: refused, as it should be
                    }
                    store.update(job("new-" + writer + "-" + n++));
                }
                return null;
            }));
        }
        try {
            List<String> seen = walk(JobQuery.builder().workflowName(workflow).pageSize(10));
            assertThat(seen).doesNotHaveDuplicates();
            Set<String> ids = new HashSet<>(seen);
            for (int i = 0; i < 300; i++) {
                assertThat(ids).contains("s" + i);
            }
        } finally {
            stop.set(true);
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
            writers.shutdown();
        }
    }

    @Test
    @DisplayName("refuses a cursor it did not hand out")
    void badCursor() {
        assertThatThrownBy(() -> store.list(JobQuery.builder().cursor("garbage!").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("garbage!");
    }

    @Test
    @DisplayName("retention cleanup deletes old final jobs and their history, nothing else")
    void retention() {
        JdbcBackend timed = backendAt(Instant.parse("2020-01-01T00:00:00Z"));
        try {
            timed.store().update(job("old-done").toBuilder().status(JobStatus.COMPLETED).build());
            timed.store().update(job("old-running").toBuilder().status(JobStatus.RUNNING).build());
        } finally {
            timed.close();
        }
        store.update(job("new-done").toBuilder().status(JobStatus.FAILED).build());
        long deleted = store.deleteFinalJobsBefore(Instant.parse("2021-01-01T00:00:00Z"));
        assertThat(deleted).isGreaterThanOrEqualTo(1);
        assertThat(store.find(JobId.of("old-done"))).isEmpty();
        assertThat(store.history(JobId.of("old-done"))).isEmpty();
        assertThat(store.find(JobId.of("old-running"))).isPresent();
        assertThat(store.find(JobId.of("new-done"))).isPresent();
    }

    @Test
    @DisplayName("history can be turned off")
    void historyOff() {
        JdbcBackend quiet = JdbcBackend.create(PostgresFixture.dataSource(),
                PostgresFixture.options(schema).recordHistory(false).build());
        try {
            Job job = job("quiet");
            quiet.store().update(job);
            quiet.store().update(job.toBuilder().status(JobStatus.COMPLETED).build());
            quiet.store().requestCancel(job.id());
            assertThat(quiet.store().find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(quiet.store().history(job.id())).isEmpty();
        } finally {
            quiet.close();
        }
    }

    @Test
    @DisplayName("values that would be SQL are stored as data")
    void valuesAreBound() {
        String evil = "x'); drop table ergate_jobs; --";
        Job job = Job.builder().id(evil).workflowName(evil).stepName(evil).exceptionTraceback(evil)
                .userContext(JsonNodeFactory.instance.textNode(evil)).build();
        store.update(job);
        assertThat(store.find(JobId.of(evil))).contains(job);
        assertThat(store.list(JobQuery.builder().workflowName(evil).build()).jobs()).containsExactly(job);
    }

    private JdbcBackend backendAt(Instant instant) {
        return JdbcBackend.create(PostgresFixture.dataSource(), PostgresFixture.options(schema)
                .clock(java.time.Clock.fixed(instant, java.time.ZoneOffset.UTC)).build());
    }

    private List<String> walk(JobQuery.Builder query) {
        List<String> ids = new ArrayList<>();
        JobQuery q = query.build();
        while (true) {
            JobPage page = store.list(q);
            assertThat(page.jobs().size()).isLessThanOrEqualTo(q.pageSize());
            page.jobs().forEach(j -> ids.add(j.id().value()));
            if (page.nextCursor() == null) {
                return ids;
            }
            q = q.after(page.nextCursor());
        }
    }
}
