package dev.ergate.jdbc;

import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.testkit.contract.JobStoreFenceContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The testkit's fence contract (issue 14, item 3) against {@link JdbcJobStore} and its atomic finish. */
class JdbcJobStoreFenceContractTest extends JobStoreFenceContract {

    private static final AtomicInteger STORES = new AtomicInteger();
    private static final List<JdbcBackend> BACKENDS = new ArrayList<>();
    private static String schema;

    @BeforeAll
    static void setUp() {
        schema = PostgresFixture.newSchema("fence");
    }

    @AfterAll
    static void tearDown() {
        synchronized (BACKENDS) {
            BACKENDS.forEach(JdbcBackend::close);
        }
        PostgresFixture.dropSchema(schema);
    }

    @Override
    protected JobStore newStore() {
        JdbcBackend backend = JdbcBackend.create(PostgresFixture.dataSource(),
                PostgresFixture.options(schema).tablePrefix("f" + STORES.incrementAndGet() + "_").build());
        synchronized (BACKENDS) {
            BACKENDS.add(backend);
        }
        return backend.store();
    }

    @Override
    protected JobQueue atomicQueue(JobStore store, Duration leaseTime) {
        return ((JdbcJobStore) store).backend().queue("fence-" + UUID.randomUUID(), leaseTime);
    }
}
