package dev.ergate.jdbc;

import dev.ergate.spi.JobStore;
import dev.ergate.testkit.contract.JobStoreContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The testkit's store contract against {@link JdbcJobStore} on the real PostgreSQL: every store
 * gets its own table prefix in this class's schema.
 */
class JdbcJobStoreContractTest extends JobStoreContract {

    private static final AtomicInteger STORES = new AtomicInteger();
    private static String schema;

    @BeforeAll
    static void setUp() {
        schema = PostgresFixture.newSchema("storecontract");
    }

    @AfterAll
    static void tearDown() {
        PostgresFixture.dropSchema(schema);
    }

    @Override
    protected JobStore newStore() {
        // a store-only backend holds no connection, so nothing needs closing
        return JdbcBackend.create(PostgresFixture.dataSource(),
                PostgresFixture.options(schema).tablePrefix("s" + STORES.incrementAndGet() + "_").build()).store();
    }

    @Override
    protected boolean supportsUniqueKeys() {
        return true;
    }
}
