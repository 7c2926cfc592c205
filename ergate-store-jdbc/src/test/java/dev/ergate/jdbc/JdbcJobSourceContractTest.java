package dev.ergate.jdbc;

import dev.ergate.spi.JobSource;
import dev.ergate.spi.JobStore;
import dev.ergate.testkit.contract.JobSourceContract;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The testkit's JobSource contract against {@link JdbcJobSource}: every store gets its own table prefix. */
class JdbcJobSourceContractTest extends JobSourceContract {

    private static final AtomicInteger STORES = new AtomicInteger();
    private static String schema;
    private final Map<JobStore, JdbcBackend> backends = new ConcurrentHashMap<>();

    @BeforeAll
    static void setUp() {
        schema = PostgresFixture.newSchema("sourcecontract");
    }

    @AfterAll
    static void tearDown() {
        PostgresFixture.dropSchema(schema);
    }

    @Override
    protected JobStore newStore(Duration claimTimeout) {
        // a store-only backend holds no connection, so nothing needs closing
        JdbcBackend backend = JdbcBackend.create(PostgresFixture.dataSource(), PostgresFixture.options(schema)
                .tablePrefix("c" + STORES.incrementAndGet() + "_").publisherClaimTimeout(claimTimeout).build());
        JobStore store = backend.store();
        backends.put(store, backend);
        return store;
    }

    @Override
    protected JobSource newSource(JobStore store) {
        return backends.get(store).jobSource();
    }
}
