package dev.ergate.jdbc;

import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.testkit.contract.StartOnTakeContract;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

/** The start-on-take contract on PostgreSQL: the claim statement starts the step (schema version 6). */
@DisplayName("JdbcJobQueue passes the start-on-take contract")
class JdbcStartOnTakeContractTest extends StartOnTakeContract {

    private static String schema;
    private static JdbcBackend backend;

    @BeforeAll
    static void setUp() {
        schema = PostgresFixture.newSchema("sotcontract");
        backend = JdbcBackend.create(PostgresFixture.dataSource(), PostgresFixture.options(schema).build());
    }

    @AfterAll
    static void tearDown() {
        if (backend != null) {
            backend.close();
            PostgresFixture.dropSchema(schema);
        }
    }

    @Override
    protected JobQueue newQueue() {
        return backend.queue("sot-" + UUID.randomUUID(), Duration.ofMinutes(5));
    }

    @Override
    protected JobStore store() {
        return backend.store();
    }
}
