package dev.ergate.jdbc;

import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.testkit.contract.JobStoreContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The testkit's store contract against {@link JdbcJobStore} on the real PostgreSQL, the write
 * fence of its atomic finish included: every store gets its own table prefix in this class's schema.
 */
class JdbcJobStoreContractTest extends JobStoreContract {

    private static final AtomicInteger STORES = new AtomicInteger();
    private static final List<JdbcBackend> BACKENDS = new ArrayList<>();
    private static String schema;

    @BeforeAll
    static void setUp() {
        schema = PostgresFixture.newSchema("storecontract");
    }

    @AfterAll
    static void tearDown() {
        synchronized (BACKENDS) {
            BACKENDS.forEach(JdbcBackend::close);
            BACKENDS.clear();
        }
        PostgresFixture.dropSchema(schema);
    }

    @Override
    protected JobStore newStore() {
        JdbcBackend backend = JdbcBackend.create(PostgresFixture.dataSource(),
                PostgresFixture.options(schema).tablePrefix("s" + STORES.incrementAndGet() + "_").build());
        synchronized (BACKENDS) {
            BACKENDS.add(backend);
        }
        return backend.store();
    }

    @Override
    protected JobQueue atomicQueue(JobStore store, Duration leaseTime) {
        return ((JdbcJobStore) store).backend().queue("fence-" + UUID.randomUUID(), leaseTime);
    }

    @Override
    protected boolean supportsUniqueKeys() {
        return true;
    }
}
