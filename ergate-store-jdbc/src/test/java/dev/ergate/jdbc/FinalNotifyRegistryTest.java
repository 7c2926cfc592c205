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
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Schema version 8: the final-state trigger NOTIFYs only while a notifier is registered as
 * listening. A raw LISTEN connection watches the channel; after each write a marker is NOTIFYed
 * from a later transaction, and PostgreSQL delivers notifications in commit order, so what
 * arrives before the marker is everything the write sent.
 */
@DisplayName("Final-state NOTIFY only while a JdbcFinalStateNotifier is registered")
class FinalNotifyRegistryTest {

    private static final String MARKER = "marker";

    private static String schema;
    private static JdbcBackend backend;
    private Connection raw;
    private String channel;

    @BeforeAll
    static void connect() {
        schema = PostgresFixture.newSchema("finalreg");
        backend = JdbcBackend.create(PostgresFixture.dataSource(), PostgresFixture.options(schema).build());
    }

    @AfterAll
    static void cleanUp() {
        if (backend != null) {
            backend.close();
            PostgresFixture.dropSchema(schema);
        }
    }

    @BeforeEach
    void listenRaw() throws SQLException {
        PostgresFixture.execute("delete from " + backend.tables().finalListeners());
        channel = JdbcFinalStateNotifier.channelOf(backend.tables());
        raw = PostgresFixture.dataSource().getConnection();
        raw.setAutoCommit(true);
        try (Statement statement = raw.createStatement()) {
            statement.execute("LISTEN " + Tables.quote(channel));
        }
    }

    @AfterEach
    void unlisten() throws SQLException {
        try (Statement statement = raw.createStatement()) {
            statement.execute("UNLISTEN *");
        }
        raw.close();
    }

    @Test
    @DisplayName("with no notifier registered, a final write sends no notification")
    void nobodyRegistered() throws Exception {
        assertThat(notifiedByFinalWrite("none")).isEmpty();
    }

    @Test
    @DisplayName("with a live registration, a final write is announced")
    void registered() throws Exception {
        register(Duration.ofSeconds(60));
        assertThat(notifiedByFinalWrite("live")).containsExactly("s:live");
    }

    @Test
    @DisplayName("a registration nobody refreshed past its expiry (a crashed notifier) stops the notifications")
    void expired() throws Exception {
        register(Duration.ofSeconds(1));
        assertThat(notifiedByFinalWrite("not-yet-expired")).containsExactly("s:not-yet-expired");
        // nothing writes the registry meanwhile, as after a crash: only the database's clock moves
        await().atMost(Duration.ofSeconds(10)).until(() -> "t".equals(PostgresFixture.queryString(
                "select now() > max(expires_at) + interval '1 second' from " + backend.tables().finalListeners())));
        assertThat(notifiedByFinalWrite("expired")).isEmpty();
    }

    @Test
    @DisplayName("a notifier registers before it listens and deletes its row on close")
    void notifierRegistersAndCloseRemoves() throws Exception {
        JdbcFinalStateNotifier notifier = JdbcFinalStateNotifier.over(backend.store());
        try {
            assertThat(registrations()).isZero();
            notifier.onFinalState(job -> { });
            assertThat(notifier.awaitListening(Duration.ofSeconds(10))).as("listening").isTrue();
            assertThat(PostgresFixture.queryString("select count(*) from " + backend.tables().finalListeners()
                    + " where id = '" + notifier.registrationId() + "' and expires_at > now() + interval '50 seconds'"))
                    .as("its row, expiring in about a minute").isEqualTo("1");
            assertThat(notifiedByFinalWrite("open")).containsExactly("s:open");
        } finally {
            notifier.close();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> registrations() == 0);
        assertThat(notifiedByFinalWrite("closed")).isEmpty();
    }

    @Test
    @DisplayName("await completes for a job that became final before the notifier registered: the poll finds it")
    void awaitAfterUnannouncedFinish() throws Exception {
        JdbcJobQueue queue = backend.queue("reg-" + UUID.randomUUID(), Duration.ofSeconds(30));
        JdbcJobStore store = backend.store();
        ErgateClient submitter = ErgateClient.builder(queue).store(store).build();
        JobId id = submitter.submit("double").input(21).submit();
        try (Ergate worker = Ergate.builder(queue, store)
                .options(ErgateOptions.builder().concurrency(1).handleSignals(false)
                        .pollTimeout(Duration.ofMillis(100)).build())
                .build()
                .registerWorkflow(Workflow.builder("double").step("x2", Integer.class, (n, ctx) -> n * 2).build())) {
            worker.start();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> store.find(id).map(job -> job.status().isFinal()).orElse(false));
        }
        assertThat(notificationsUntilMarker()).as("the finish was not announced").isEmpty();

        try (JdbcFinalStateNotifier notifier = JdbcFinalStateNotifier.over(store)) {
            ErgateClient client = ErgateClient.builder(queue).store(store).finalStateNotifier(notifier).build();
            Job job = client.await(id, Duration.ofSeconds(30)).join();
            assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(job.lastReturnValue().intValue()).isEqualTo(42);
        }
    }

    private void register(Duration timeToLive) throws SQLException {
        try (Connection connection = PostgresFixture.dataSource().getConnection()) {
            connection.setAutoCommit(true);
            new FinalListenerRegistration(backend.tables(), "test", timeToLive).register(connection);
        }
    }

    private long registrations() {
        return Long.parseLong(PostgresFixture.queryString("select count(*) from " + backend.tables().finalListeners()));
    }

    /** Writes job {@code id} QUEUED, then COMPLETED, and returns what the raw connection got for it. */
    private List<String> notifiedByFinalWrite(String id) throws Exception {
        Job job = Job.builder().id(id).workflowName("w").build();
        backend.store().update(job);
        backend.store().update(job.toBuilder().status(JobStatus.COMPLETED).stepsCompleted(1).build());
        return notificationsUntilMarker();
    }

    /** NOTIFYs the marker in a transaction of its own and returns what arrived before it. */
    private List<String> notificationsUntilMarker() throws Exception {
        PostgresFixture.execute("select pg_notify('" + channel + "', '" + MARKER + "')");
        List<String> before = new ArrayList<>();
        PGConnection pg = raw.unwrap(PGConnection.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            PGNotification[] notifications = pg.getNotifications(200);
            if (notifications == null) {
                continue;
            }
            for (PGNotification notification : notifications) {
                if (notification.getParameter().equals(MARKER)) {
                    return before;
                }
                before.add(notification.getParameter());
            }
        }
        throw new AssertionError("the marker did not arrive within 10 s; got " + before);
    }
}
