package dev.ergate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.RuntimeFields;
import dev.ergate.spi.AtomicStepFinish;
import dev.ergate.spi.AtomicSubmit;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.StepPlan;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The claim that starts the step (JdbcJobQueue.startOnTake, schema version 6): it writes exactly
 * the RUNNING state the worker would, and only where the stored job is the message's own state.
 */
@DisplayName("PostgreSQL queue: the claim starts the step")
class StartOnTakeTest {

    private static final String WORKFLOW = "sot";
    private static final StepPlan PLAN = () -> Map.of(WORKFLOW, List.of("a", "b", "c"));
    private static String schema;
    private static JdbcBackend backend;
    private JdbcJobQueue queue;
    private JdbcJobStore store;
    private AtomicSubmit submit;

    @BeforeAll
    static void setUp() {
        schema = PostgresFixture.newSchema("sot");
        backend = JdbcBackend.create(PostgresFixture.dataSource(), PostgresFixture.options(schema).build());
    }

    @AfterAll
    static void tearDown() {
        if (backend != null) {
            backend.close();
            PostgresFixture.dropSchema(schema);
        }
    }

    @BeforeEach
    void newQueue() {
        queue = backend.queue("sot-" + UUID.randomUUID(), Duration.ofMinutes(5));
        store = backend.store();
        submit = queue.atomicSubmit(store).orElseThrow();
        assertThat(queue.startOnTake(store, PLAN)).isTrue();
    }

    private static Job job(String workflow) {
        return Job.builder().id("sot-" + UUID.randomUUID()).workflowName(workflow).status(JobStatus.QUEUED)
                .initialInputValue(IntNode.valueOf(7)).build();
    }

    private Delivery take() throws InterruptedException {
        return queue.take(Duration.ofSeconds(5)).orElseThrow(() -> new AssertionError("nothing to take"));
    }

    private static Job running(Job job, String step, int index) {
        return job.toBuilder().status(JobStatus.RUNNING).stepName(step)
                .extraField(RuntimeFields.CURRENT_STEP, IntNode.valueOf(index)).build();
    }

    @Test
    @DisplayName("a submitted job is delivered started: the store holds RUNNING at its first step, with its history row")
    void submitted() throws Exception {
        Job job = job(WORKFLOW);
        submit.submit(List.of(job));

        Delivery delivery = take();

        assertThat(delivery.job()).isEqualTo(job);
        assertThat(delivery.startedState()).isEqualTo(running(job, "a", 0));
        Job stored = store.find(job.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(stored.stepName()).isEqualTo("a");
        assertThat(stored.extraField(RuntimeFields.CURRENT_STEP)).isEqualTo(IntNode.valueOf(0));
        assertThat(store.history(job.id())).extracting(JobTransition::status, JobTransition::stepName)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(JobStatus.QUEUED, null),
                        org.assertj.core.groups.Tuple.tuple(JobStatus.RUNNING, "a"));
        delivery.ack();
    }

    @Test
    @DisplayName("the next step put by an atomic finish is delivered started at that step")
    void afterFinish() throws Exception {
        Job job = job(WORKFLOW);
        submit.submit(List.of(job));
        Delivery first = take();
        Job done = running(job, "a", 0).toBuilder().status(JobStatus.QUEUED).stepName(null).stepsCompleted(1)
                .extraField(RuntimeFields.CURRENT_STEP, IntNode.valueOf(1)).build();
        AtomicStepFinish finish = queue.atomicStepFinish(store).orElseThrow();
        finish.finish(first, done, done);

        Delivery second = take();

        assertThat(second.startedState()).isEqualTo(running(done, "b", 1));
        assertThat(store.find(job.id()).orElseThrow()).isEqualTo(running(done, "b", 1));
        second.ack();
    }

    @Test
    @DisplayName("a job the publisher puts (atomic publish of a due SCHEDULED job) is delivered started")
    void published() throws Exception {
        Job scheduled = job(WORKFLOW).toBuilder().status(JobStatus.SCHEDULED)
                .requestedStartTime(java.time.Instant.now().minusSeconds(60)).build();
        store.update(scheduled);
        JdbcJobSource source = backend.jobSource();
        List<Job> due = source.claimDue(java.time.Instant.now(), 100);
        Job claimed = due.stream().filter(j -> j.id().equals(scheduled.id())).findFirst().orElseThrow();
        Job queued = claimed.toBuilder().status(JobStatus.QUEUED).build();
        assertThat(source.atomicPublish(queue).orElseThrow().publish(queued)).isTrue();

        Delivery delivery = take();

        assertThat(delivery.job()).isEqualTo(queued);
        assertThat(delivery.startedState()).isEqualTo(running(queued, "a", 0));
        assertThat(store.find(scheduled.id()).orElseThrow()).isEqualTo(running(queued, "a", 0));
        delivery.ack();
    }

    /** {@return the job's stored row, every column, as JSON text} */
    private static String row(Job job) {
        return PostgresFixture.queryString("select row_to_json(j)::text from \"" + schema + "\".ergate_jobs j "
                + "where id = '" + job.id().value() + "'");
    }

    private static String historyRows(Job job) {
        return PostgresFixture.queryString("select string_agg(version || ' ' || status || ' ' || coalesce(step_name, '-'), "
                + "', ' order by seq) from \"" + schema + "\".ergate_job_history where job_id = '" + job.id().value() + "'");
    }

    @Test
    @DisplayName("a claimed job given back unrun (the worker stops) is unstarted: its row is again exactly the QUEUED one")
    void heldJobGivenBackIsUnstarted() throws Exception {
        Job job = job(WORKFLOW);
        submit.submit(List.of(job));
        Delivery first = take();
        Job done = running(job, "a", 0).toBuilder().status(JobStatus.QUEUED).stepName(null).stepsCompleted(1)
                .extraField(RuntimeFields.CURRENT_STEP, IntNode.valueOf(1)).build();
        queue.atomicStepFinish(store).orElseThrow().finish(first, done, done);
        String queuedRow = row(job);
        String queuedHistory = historyRows(job);
        assertThat(queue.claimAhead(1)).isEqualTo(1);
        assertThat(store.find(job.id()).orElseThrow()).as("started by the claim").isEqualTo(running(done, "b", 1));

        queue.releaseHeld(); // the worker stops before a taker comes for it

        assertThat(store.find(job.id()).orElseThrow()).isEqualTo(done);
        assertThat(row(job)).as("every column, version and update time too").isEqualTo(queuedRow);
        assertThat(historyRows(job)).as("the start's history row is gone").isEqualTo(queuedHistory);
        Delivery again = take();
        assertThat(again.deliveryCount()).isEqualTo(1);
        assertThat(again.startedState()).as("started again by the next claim").isEqualTo(running(done, "b", 1));
        assertThat(historyRows(job)).isEqualTo(queuedHistory + ", 4 RUNNING b");
        again.ack();
    }

    @Test
    @DisplayName("a give-back keeps what was written after the claim's start (a cancel request), and a first step's job comes back as submitted")
    void givenBackAfterLaterWrite() throws Exception {
        Job cancelled = job(WORKFLOW);
        submit.submit(List.of(cancelled));
        assertThat(queue.claimAhead(1)).isEqualTo(1);
        assertThat(store.requestCancel(cancelled.id())).isTrue();
        queue.releaseHeld();
        assertThat(store.find(cancelled.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLING);
        take().ack();

        Job fresh = job(WORKFLOW);
        submit.submit(List.of(fresh));
        String submittedRow = row(fresh);
        assertThat(queue.claimAhead(1)).isEqualTo(1);
        assertThat(store.find(fresh.id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
        queue.releaseHeld();
        assertThat(row(fresh)).isEqualTo(submittedRow);
        assertThat(store.find(fresh.id()).orElseThrow()).isEqualTo(fresh);
        Delivery again = take();
        assertThat(again.startedState()).isEqualTo(running(fresh, "a", 0));
        again.ack();
    }

    @Test
    @DisplayName("a job whose cancel was requested, changed since its put, or plainly put is delivered unstarted")
    void notVouchedFor() throws Exception {
        Job cancelled = job(WORKFLOW);
        submit.submit(List.of(cancelled));
        assertThat(store.requestCancel(cancelled.id())).isTrue();
        Job changed = job(WORKFLOW);
        submit.submit(List.of(changed));
        store.replace(changed); // the same state again: a new stored version, which the message does not carry
        Job plain = job(WORKFLOW);
        store.update(plain);
        queue.put(plain);

        for (int i = 0; i < 3; i++) {
            Delivery delivery = take();
            assertThat(delivery.startedState()).as("started state of %s", delivery.job().id()).isNull();
            delivery.ack();
        }
        assertThat(store.find(cancelled.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLING);
        assertThat(store.find(changed.id()).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(store.find(plain.id()).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
    }

    @Test
    @DisplayName("a queue not asked to start steps, or asked with a store of other tables, delivers unstarted")
    void notAsked() throws Exception {
        JdbcJobQueue plainQueue = backend.queue("sot-plain-" + UUID.randomUUID(), Duration.ofMinutes(5));
        Job job = job(WORKFLOW);
        plainQueue.atomicSubmit(store).orElseThrow().submit(List.of(job));
        Delivery delivery = plainQueue.take(Duration.ofSeconds(5)).orElseThrow();
        assertThat(delivery.startedState()).isNull();
        assertThat(store.find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        delivery.ack();

        String otherSchema = PostgresFixture.newSchema("sot2");
        try (JdbcBackend other = JdbcBackend.create(PostgresFixture.dataSource(),
                PostgresFixture.options(otherSchema).build())) {
            assertThat(plainQueue.startOnTake(other.store(), PLAN)).isFalse();
        } finally {
            PostgresFixture.dropSchema(otherSchema);
        }
    }
}
