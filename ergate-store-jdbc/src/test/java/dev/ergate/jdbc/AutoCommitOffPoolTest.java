package dev.ergate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.spi.Delivery;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A pool handing out connections with auto-commit off must not make every write roll back silently. */
class AutoCommitOffPoolTest {

    private static String schema;
    private static HikariDataSource manualCommitPool;
    private static JdbcBackend manual;
    private static JdbcBackend observer;

    @BeforeAll
    static void setUp() {
        schema = PostgresFixture.newSchema("autocommit");
        PostgresUrl url = PostgresUrl.parse(PostgresFixture.url());
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) {
            config.setUsername(url.user());
        }
        if (url.password() != null) {
            config.setPassword(url.password());
        }
        config.setMaximumPoolSize(3);
        config.setPoolName("ergate-autocommit-off");
        config.setAutoCommit(false);
        manualCommitPool = new HikariDataSource(config);
        manual = JdbcBackend.create(manualCommitPool, PostgresFixture.options(schema).build());
        observer = JdbcBackend.create(PostgresFixture.dataSource(), PostgresFixture.options(schema).build());
    }

    @AfterAll
    static void tearDown() {
        if (manual != null) {
            manual.close();
        }
        if (observer != null) {
            observer.close();
        }
        if (manualCommitPool != null) {
            manualCommitPool.close();
        }
        PostgresFixture.dropSchema(schema);
    }

    @Test
    @DisplayName("with autoCommit=false on the pool, put, claim and ack still commit")
    void writesCommitOnAManualCommitPool() throws Exception {
        Job job = Job.builder().id("ac-1").workflowName("wf").stepName("s1")
                .initialInputValue(JsonNodeFactory.instance.numberNode(1)).build();
        manual.store().update(job);
        assertThat(observer.store().find(JobId.of("ac-1"))).as("the put is visible to another pool").isPresent();

        JdbcJobQueue queue = manual.queue("ac-q", Duration.ofSeconds(30));
        JdbcJobQueue seen = observer.queue("ac-q", Duration.ofSeconds(30));
        try {
            queue.put(job);
            assertThat(seen.counts().total()).as("the queued message is visible to another pool").isEqualTo(1);
            Delivery delivery = queue.take(Duration.ofSeconds(5)).orElseThrow();
            assertThat(seen.take(Duration.ZERO)).as("the claim committed: nobody else gets it").isEmpty();
            delivery.ack();
            assertThat(seen.counts().total()).as("the ack committed").isZero();
        } finally {
            queue.close();
            seen.close();
        }
    }
}
