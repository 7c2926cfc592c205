package dev.ergate.jdbc;

import dev.ergate.spi.ScheduleStore;
import dev.ergate.testkit.contract.ScheduleStoreContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The testkit's schedule store contract against {@link JdbcScheduleStore} on the real PostgreSQL:
 * every store gets its own table prefix in this class's schema.
 */
class JdbcScheduleStoreContractTest extends ScheduleStoreContract {

    private static final AtomicInteger STORES = new AtomicInteger();
    private static String schema;

    @BeforeAll
    static void setUp() {
        schema = PostgresFixture.newSchema("schedulecontract");
    }

    @AfterAll
    static void tearDown() {
        PostgresFixture.dropSchema(schema);
    }

    @Override
    protected ScheduleStore newStore() {
        return JdbcBackend.create(PostgresFixture.dataSource(),
                PostgresFixture.options(schema).tablePrefix("s" + STORES.incrementAndGet() + "_").build()).schedules();
    }
}
