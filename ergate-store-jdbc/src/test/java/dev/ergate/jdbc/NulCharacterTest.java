package dev.ergate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ergate.Job;
import dev.ergate.JobStatus;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.StepStart;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** U+0000 is valid in JSON strings but refused by PostgreSQL's text and jsonb (issue 14, item 1). */
@DisplayName("U+0000 in a job on PostgreSQL")
class NulCharacterTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static String schema;
    private static JdbcBackend backend;

    @BeforeAll
    static void setUp() {
        schema = PostgresFixture.newSchema("nul");
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
    @DisplayName("goes through put, take, start, the atomic finish and the next step's take unchanged")
    void throughTheQueue() throws Exception {
        JdbcJobQueue queue = backend.queue("nul-" + UUID.randomUUID(), Duration.ofSeconds(30));
        JdbcJobStore store = backend.store();
        Job job = Job.builder().id("nul-" + UUID.randomUUID()).workflowName("wf").stepName("first")
                .status(JobStatus.QUEUED)
                .initialInputValue(JSON.objectNode().put("text", "a\0b").put("k\0", 1))
                .userContext(JSON.objectNode().put("user", "\0"))
                .build();
        queue.put(job);
        Delivery first = queue.take(WAIT).orElseThrow();
        assertThat(first.job()).isEqualTo(job);

        Job running = job.toBuilder().status(JobStatus.RUNNING).build();
        assertThat(store.startStep(running)).isEqualTo(StepStart.STARTED);
        assertThat(store.find(job.id())).contains(running);

        Job done = running.toBuilder().status(JobStatus.QUEUED).stepName("second").stepsCompleted(1)
                .lastReturnValue(JSON.arrayNode().add("out\0put").add(JSON.objectNode().put("$ergate:escaped", "x")))
                .exceptionTraceback("earlier failure: \0 \\0")
                .build();
        queue.atomicStepFinish(store).orElseThrow().finish(first, done, done);

        assertThat(store.find(job.id())).contains(done);
        Delivery second = queue.take(WAIT).orElseThrow();
        assertThat(second.job()).isEqualTo(done);
        second.ack();
    }

    @Test
    @DisplayName("leaves values without it as plain JSONB, queryable with SQL")
    void othersStayPlain() {
        JdbcJobStore store = backend.store();
        String id = "plain-" + UUID.randomUUID();
        store.update(Job.builder().id(id).workflowName("wf").userContext(JSON.objectNode().put("user", "alice")).build());
        String nulId = "nul-" + UUID.randomUUID();
        store.update(Job.builder().id(nulId).workflowName("wf").userContext(JSON.objectNode().put("user", "\0")).build());

        String user = PostgresFixture.queryString("select user_context ->> 'user' from \"" + schema
                + "\".ergate_jobs where id = '" + id + "'");
        assertThat(user).isEqualTo("alice");
    }
}
