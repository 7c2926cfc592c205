package dev.ergate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.Job;
import dev.ergate.spi.DeadLetter;
import dev.ergate.spi.Delivery;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What a claim does with bodies a foreign producer pushed, and how many dead letters stay (issue 14, item 7). */
@DisplayName("PostgreSQL claim limits")
class ClaimLimitsTest {

    private static final int MAX_BYTES = 2048;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static String schema;
    private static JdbcBackend backend;

    @BeforeAll
    static void setUp() {
        schema = PostgresFixture.newSchema("limits");
        backend = JdbcBackend.create(PostgresFixture.dataSource(), PostgresFixture.options(schema)
                .maxJobBytes(MAX_BYTES).maxDeadLetters(3).build());
    }

    @AfterAll
    static void tearDown() {
        if (backend != null) {
            backend.close();
            PostgresFixture.dropSchema(schema);
        }
    }

    /** A row as a foreign producer writes it, past the size check of {@code put}. */
    private static void rawPush(String queue, String jobId, String body) throws SQLException {
        try (Connection c = PostgresFixture.dataSource().getConnection();
                PreparedStatement st = c.prepareStatement("insert into \"" + schema + "\".ergate_queue "
                        + "(queue_name, job_id, payload, visible_at, enqueued_at) values (?, ?, ?, now(), now())")) {
            st.setString(1, queue);
            st.setString(2, jobId);
            st.setBytes(3, body.getBytes(StandardCharsets.UTF_8));
            st.executeUpdate();
        }
    }

    @Test
    @DisplayName("a body over maxJobBytes is dead-lettered by the claim with the reason; the next job is handed out")
    void oversizedBody() throws Exception {
        String name = "big-" + UUID.randomUUID();
        JdbcJobQueue queue = backend.queue(name, Duration.ofSeconds(30));
        String big = "{\"id\":\"big\",\"workflow_name\":\"wf\",\"user_context\":\"" + "x".repeat(MAX_BYTES) + "\"}";
        rawPush(name, "big", big);
        Job small = Job.builder().id("small").workflowName("wf").build();
        queue.put(small);

        Delivery taken = queue.take(WAIT).orElseThrow();

        assertThat(taken.job()).isEqualTo(small);
        List<DeadLetter> dead = queue.deadLetters(10);
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).jobId()).isEqualTo("big");
        assertThat(dead.get(0).reason()).contains("too large", Integer.toString(big.length()),
                Integer.toString(MAX_BYTES), "maxJobBytes");
        assertThat(dead.get(0).body()).isEqualTo(big);
        taken.ack();
        assertThat(queue.counts().total()).isZero();
    }

    @Test
    @DisplayName("dead letters are bounded: the oldest over maxDeadLetters go")
    void boundedDeadLetters() throws Exception {
        String name = "dead-" + UUID.randomUUID();
        JdbcJobQueue queue = backend.queue(name, Duration.ofSeconds(30));
        for (int i = 0; i < 5; i++) {
            rawPush(name, "bad-" + i, "not json " + i);
        }

        assertThat(queue.take(Duration.ZERO)).isEmpty();

        assertThat(queue.deadLetters(10)).extracting(DeadLetter::jobId).containsExactly("bad-2", "bad-3", "bad-4");
    }

    @Test
    @DisplayName("a raw-pushed job is not handed out before its requested_start_time, nor counted as delivered")
    void rawPushWithFutureStart() throws Exception {
        String name = "raw-" + UUID.randomUUID();
        JdbcJobQueue queue = backend.queue(name, Duration.ofSeconds(30));
        java.time.Instant start = java.time.Instant.now().plusSeconds(2);
        rawPush(name, "later", "{\"id\":\"later\",\"workflow_name\":\"wf\",\"requested_start_time\":\""
                + start + "\"}");

        assertThat(queue.take(Duration.ZERO)).as("taken before its start time").isEmpty();
        assertThat(queue.counts().delayed()).isEqualTo(1);

        Delivery taken = queue.take(WAIT).orElseThrow();
        assertThat(java.time.Instant.now()).isAfterOrEqualTo(start.minusMillis(50));
        assertThat(taken.deliveryCount()).isEqualTo(1);
        taken.ack();
    }
}
