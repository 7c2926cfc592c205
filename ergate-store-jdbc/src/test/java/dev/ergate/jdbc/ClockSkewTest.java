package dev.ergate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.Job;
import dev.ergate.spi.Delivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Workers whose clocks are two minutes off share one queue with a worker whose clock is right
 * (issue 14, item 4): leases and due times follow the database's clock, so none of them starts a
 * job early or takes a lease another one still holds.
 */
@DisplayName("PostgreSQL queue with skewed worker clocks")
class ClockSkewTest {

    private static final Duration SKEW = Duration.ofMinutes(2);
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static String schema;
    private static JdbcBackend honest;
    private static JdbcBackend ahead;
    private static JdbcBackend behind;
    private String name;

    @BeforeAll
    static void setUp() {
        schema = PostgresFixture.newSchema("skew");
        honest = JdbcBackend.create(PostgresFixture.dataSource(), PostgresFixture.options(schema).build());
        ahead = JdbcBackend.create(PostgresFixture.dataSource(), PostgresFixture.options(schema)
                .clock(Clock.offset(Clock.systemUTC(), SKEW)).build());
        behind = JdbcBackend.create(PostgresFixture.dataSource(), PostgresFixture.options(schema)
                .clock(Clock.offset(Clock.systemUTC(), SKEW.negated())).build());
    }

    @AfterAll
    static void tearDown() {
        for (JdbcBackend backend : new JdbcBackend[] {honest, ahead, behind}) {
            if (backend != null) {
                backend.close();
            }
        }
        if (honest != null) {
            PostgresFixture.dropSchema(schema);
        }
    }

    @BeforeEach
    void name() {
        name = "skew-" + UUID.randomUUID();
    }

    private static Job job() {
        return Job.builder().id("job-" + UUID.randomUUID()).workflowName("wf").stepName("s").build();
    }

    @Test
    @DisplayName("a worker ahead does not take a lease that is still live")
    void aheadStealsNoLease() throws Exception {
        honest.queue(name, LEASE).put(job());
        Delivery held = honest.queue(name, LEASE).take(Duration.ofSeconds(20)).orElseThrow();

        assertThat(ahead.queue(name, LEASE).take(Duration.ZERO)).as("taken by the worker ahead").isEmpty();
        held.ack();
    }

    @Test
    @DisplayName("a lease taken by a worker behind lasts its full time")
    void behindLeaseHolds() throws Exception {
        behind.queue(name, LEASE).put(job());
        Delivery held = behind.queue(name, LEASE).take(Duration.ofSeconds(20)).orElseThrow();

        assertThat(held.leaseExpiresAt()).as("the lease's end, by the database's clock")
                .isAfter(Instant.now().plus(LEASE).minusSeconds(10));
        assertThat(honest.queue(name, LEASE).take(Duration.ZERO)).as("taken by another worker").isEmpty();
        held.extend(LEASE);
        assertThat(honest.queue(name, LEASE).take(Duration.ZERO)).as("taken after an extension").isEmpty();
        held.release(Duration.ofSeconds(30));
        assertThat(honest.queue(name, LEASE).take(Duration.ZERO)).as("taken while released with a delay").isEmpty();
    }

    @Test
    @DisplayName("a worker ahead does not start a delayed job early")
    void aheadNoEarlyStart() throws Exception {
        Job delayed = job().toBuilder().requestedStartTime(Instant.now().plusSeconds(30)).build();
        honest.queue(name, LEASE).put(delayed);
        ahead.queue(name, LEASE).put(job().toBuilder().requestedStartTime(Instant.now().plusSeconds(30)).build());

        assertThat(ahead.queue(name, LEASE).take(Duration.ZERO)).as("taken by the worker ahead").isEmpty();
        assertThat(honest.queue(name, LEASE).counts().delayed()).isEqualTo(2);
    }
}
