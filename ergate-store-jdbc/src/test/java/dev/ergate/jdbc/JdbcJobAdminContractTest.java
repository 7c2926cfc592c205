package dev.ergate.jdbc;

import dev.ergate.spi.JobAdmin.Operation;
import dev.ergate.testkit.contract.JobAdminContract;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

@DisplayName("JdbcJobAdmin passes the JobAdmin contract")
class JdbcJobAdminContractTest extends JobAdminContract {

    private static final AtomicInteger TABLES = new AtomicInteger();
    private static String schema;

    @BeforeAll
    static void setUp() {
        schema = PostgresFixture.newSchema("admincontract");
    }

    @AfterAll
    static void tearDown() {
        if (schema != null) {
            PostgresFixture.dropSchema(schema);
        }
    }

    /** Each test gets tables of its own (a table prefix), so counts and dead letters are its own. */
    @Override
    protected Backend newBackend() {
        JdbcBackend pg = JdbcBackend.create(PostgresFixture.dataSource(),
                PostgresFixture.options(schema).tablePrefix("a" + TABLES.incrementAndGet() + "_").build());
        JdbcJobQueue queue = pg.queue();
        JdbcJobAdmin admin = pg.admin();
        return Backend.of(admin, pg.store(), queue,
                text -> JdbcJobQueueTest.putRaw(pg, queue.name(), text.getBytes(StandardCharsets.UTF_8)), pg::close);
    }

    @Override
    protected Set<Operation> expectedOperations() {
        return EnumSet.allOf(Operation.class);
    }
}
