package dev.ergate.jdbc;

import dev.ergate.spi.DeadLetter;
import dev.ergate.spi.JobQueue;
import dev.ergate.testkit.contract.JobQueueContract;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The testkit's queue contract against {@link JdbcJobQueue} on the real PostgreSQL. */
class JdbcJobQueueContractTest extends JobQueueContract {

    private static final long MAX_JOB_BYTES = 1024 * 1024;
    private static String schema;
    private static JdbcBackend backend;

    @BeforeAll
    static void setUp() {
        schema = PostgresFixture.newSchema("queuecontract");
        backend = JdbcBackend.create(PostgresFixture.dataSource(),
                PostgresFixture.options(schema).maxJobBytes(MAX_JOB_BYTES).build());
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
        return backend.queue("contract-" + UUID.randomUUID(), leaseTime);
    }

    @Override
    protected boolean putRaw(JobQueue queue, byte[] message) throws Exception {
        JdbcJobQueueTest.putRaw(backend, ((JdbcJobQueue) queue).name(), message);
        return true;
    }

    @Override
    protected List<String> deadLetters(JobQueue queue) {
        return ((JdbcJobQueue) queue).deadLetters(1000).stream().map(DeadLetter::body).toList();
    }

    @Override
    protected OptionalLong maxJobBytes() {
        return OptionalLong.of(MAX_JOB_BYTES);
    }

    @Override
    protected Duration timingSlack() {
        return Duration.ofSeconds(1); // a shared, loaded 2-core machine
    }

    /** Not yet: the raw row's due time is not read from the job (issue 14 item 8; see /work/wt/NOTES.md, to jdbc). */
    @Override
    protected boolean rawPushHonoursStartTime() {
        return false;
    }

    @Override
    protected boolean supportsPriorities() {
        return true;
    }
}
