package dev.ergate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.Job;
import dev.ergate.spi.Delivery;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Jobs a queue claimed ahead for takers that never came (issue 14, item 9). */
@DisplayName("PostgreSQL queue: jobs claimed ahead")
class HeldClaimsTest {

    private static String schema;
    private static JdbcBackend backend;

    @BeforeAll
    static void setUp() {
        schema = PostgresFixture.newSchema("held");
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
    @DisplayName("releaseHeld gives them back at once, and the give-back does not count as a delivery")
    void releaseHeld() throws Exception {
        String name = "held-" + UUID.randomUUID();
        JdbcJobQueue worker = backend.queue(name, Duration.ofMinutes(5));
        for (int i = 0; i < 3; i++) {
            worker.put(Job.builder().id("held-" + i).workflowName("wf").build());
        }
        assertThat(worker.claimAhead(3)).isEqualTo(3);
        JdbcJobQueue other = backend.queue(name, Duration.ofMinutes(5));
        assertThat(other.take(Duration.ZERO)).as("leased while held").isEmpty();

        worker.releaseHeld();

        for (int i = 0; i < 3; i++) {
            Delivery d = other.take(Duration.ZERO).orElseThrow(() -> new AssertionError("not given back"));
            assertThat(d.deliveryCount()).as("delivery count of %s", d.job().id()).isEqualTo(1);
            d.ack();
        }
        assertThat(worker.take(Duration.ZERO)).as("the queue stays usable").isEmpty();
    }
}
