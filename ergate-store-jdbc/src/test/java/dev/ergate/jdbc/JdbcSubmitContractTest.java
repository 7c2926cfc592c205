package dev.ergate.jdbc;

import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.testkit.contract.SubmitContract;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The submit contract on PostgreSQL: queue and store of one backend, one transaction per submit call. */
class JdbcSubmitContractTest extends SubmitContract {

    private static final long MAX_BYTES = 64 * 1024;
    private static String schema;
    private static JdbcBackend backend;

    @BeforeAll
    static void setUp() {
        schema = PostgresFixture.newSchema("submitcontract");
        backend = JdbcBackend.create(PostgresFixture.dataSource(),
                PostgresFixture.options(schema).maxJobBytes(MAX_BYTES).build());
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
        return backend.queue("submit-" + UUID.randomUUID(), java.time.Duration.ofSeconds(30));
    }

    @Override
    protected JobStore newStore() {
        return backend.store();
    }

    @Override
    protected boolean atomic() {
        return true;
    }

    @Override
    protected OptionalLong maxJobBytes() {
        return OptionalLong.of(MAX_BYTES);
    }
}
