package dev.ergate.jdbc;

import dev.ergate.spi.JobAdmin.Operation;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.contract.JobAdminContract;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

/** A PostgreSQL store paired with another backend's queue (as with SQS): retries go there; no dead letters here. */
@DisplayName("JdbcJobAdmin with another backend's queue passes the JobAdmin contract, without dead letters")
class JdbcStoreWithForeignQueueAdminContractTest extends JobAdminContract {

    private static final AtomicInteger TABLES = new AtomicInteger();
    private static String schema;

    @BeforeAll
    static void setUp() {
        schema = PostgresFixture.newSchema("adminforeign");
    }

    @AfterAll
    static void tearDown() {
        if (schema != null) {
            PostgresFixture.dropSchema(schema);
        }
    }

    @Override
    protected Backend newBackend() {
        JdbcBackend pg = JdbcBackend.create(PostgresFixture.dataSource(),
                PostgresFixture.options(schema).tablePrefix("f" + TABLES.incrementAndGet() + "_").build());
        InMemoryJobQueue queue = InMemoryJobQueue.create();
        return Backend.of(pg.admin(queue), pg.store(), queue,
                text -> queue.putRaw(text.getBytes(StandardCharsets.UTF_8)), () -> {
                    queue.close();
                    pg.close();
                });
    }

    @Override
    protected Set<Operation> expectedOperations() {
        return EnumSet.complementOf(EnumSet.of(Operation.LIST_DEAD_LETTERS, Operation.REQUEUE_DEAD_LETTERS,
                Operation.PURGE_DEAD_LETTERS));
    }
}
