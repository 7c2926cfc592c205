package dev.ergate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.JobStatus;
import dev.ergate.StatusDialect;
import dev.ergate.spi.Delivery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The PostgreSQL queue with a Python dialect codec")
class PythonCodecQueueTest {

    private static String schema;
    private static JdbcBackend backend;

    @BeforeAll
    static void setUp() {
        schema = PostgresFixture.newSchema("pycodec");
        JobCodec python2025 = JobCodec.builder().dialect(StatusDialect.PYTHON_2025).build();
        backend = JdbcBackend.create(PostgresFixture.dataSource(),
                PostgresFixture.options(schema).codec(python2025).build());
    }

    @AfterAll
    static void tearDown() {
        if (backend != null) {
            backend.close();
            PostgresFixture.dropSchema(schema);
        }
    }

    @Test
    @DisplayName("writes Python's integer status and reads a message a Python worker wrote")
    void sharesMessagesWithPython() throws Exception {
        String name = "py-" + UUID.randomUUID();
        try (JdbcJobQueue queue = backend.queue(name, Duration.ofSeconds(30))) {
            queue.put(Job.builder().id("java-1").workflowName("orders").status(JobStatus.QUEUED).build());
            String payload = PostgresFixture.queryString("select convert_from(payload, 'UTF8') from "
                    + backend.tables().queue() + " where queue_name = '" + name + "'");
            assertThat(payload).as("the message Java wrote").contains("\"status\":2");
            queue.take(Duration.ofSeconds(5)).orElseThrow().ack();

            JdbcJobQueueTest.putRaw(backend, name, ("{\"id\": \"py-1\", \"workflow_name\": \"orders\","
                    + " \"status\": 2, \"steps_completed\": 1, \"current_step\": 1}").getBytes(StandardCharsets.UTF_8));
            Delivery fromPython = queue.take(Duration.ofSeconds(5)).orElseThrow();
            assertThat(fromPython.job().status()).isEqualTo(JobStatus.QUEUED);
            assertThat(fromPython.job().stepsCompleted()).isEqualTo(1);
            fromPython.ack();
        }
    }
}
