package dev.ergate.jdbc;

import dev.ergate.spi.JobQueue;
import dev.ergate.spi.StateStore;
import dev.ergate.testkit.contract.EndToEndContract;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The testkit's end-to-end contract: a real worker over {@link JdbcJobQueue} and {@link
 * JdbcJobStore} on the real PostgreSQL, finishing steps atomically. Each queue gets its own name
 * and each store its own table prefix (one transaction spans both: same database).
 */
class JdbcEndToEndContractTest extends EndToEndContract {

    private static final AtomicInteger STORES = new AtomicInteger();
    private static String schema;
    private static JdbcBackend backend;

    @BeforeAll
    static void setUp() {
        schema = PostgresFixture.newSchema("e2econtract");
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
    protected JobQueue newQueue(Duration leaseTime) {
        return backend.queue("e2e-" + UUID.randomUUID(), leaseTime);
    }

    @Override
    protected StateStore newStore() {
        // a store-only backend holds no connection, so nothing needs closing
        return JdbcBackend.create(PostgresFixture.dataSource(), PostgresFixture.options(schema)
                .tablePrefix("e" + STORES.incrementAndGet() + "_").build()).store();
    }
}
