package dev.ergate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ergate.Job;
import dev.ergate.JobStatus;
import dev.ergate.RuntimeFields;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.StepPlan;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Workers of the previous release and of this one on one queue at once (a rolling upgrade). The
 * previous release's scripts are kept as test resources ({@code lua/main_affb087/}: main at
 * {@code affb087}, before the step path ran fewer commands); they run on the state this release's
 * scripts leave, and this release's on theirs. The queue's keys are the same in both; what
 * differs is the job hash after a finish of a step a claim started: its start marker is emptied
 * ({@code started} = '') where the previous release deleted it.
 */
@DisplayName("Redis: the previous release's scripts and this one's on one queue")
class RedisRollingUpgradeTest {

    private static final LuaScript OLD_CLAIM = LuaScript.load("main_affb087/claim", "main_affb087/lib");
    private static final LuaScript OLD_ACK = LuaScript.load("main_affb087/ack", "main_affb087/lib");
    private static final Map<String, List<String>> STEPS = Map.of("up", List.of("a", "b"));
    private static final StepPlan PLAN = () -> STEPS;
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static RedisFixture fixture;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("rolling-upgrade");
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** A worker of this release whose finishes claim nothing, so the old claim takes every next step. */
    private record Worker(RedisJobQueue queue, RedisJobStore store) {
        Worker() {
            this(fixture.backend());
        }

        Worker(RedisBackend backend) {
            this(backend.queue(RedisQueueOptions.builder().claimOnFinish(false).build()), backend.store());
            assertThat(queue.startOnTake(store, PLAN)).isTrue();
        }

        /** The previous release's claim, with the start on take, its delivery handed to this queue. */
        Delivery takeWithOldClaim(List<Object> expectStart) throws InterruptedException {
            RedisStartOnTake.Plan plan = queue.starter().plan();
            long before = System.currentTimeMillis();
            Object reply = OLD_CLAIM.run(fixture.raw(), plan.claimKeys, List.of(queue.options().leaseTime().toMillis(),
                    queue.options().maxJobBytes(), queue.options().maxDeadLetters(), plan.key,
                    queue.keys().jobPrefixBytes(), queue.keys().indexPrefixBytes(), before));
            assertThat(reply).isInstanceOf(List.class);
            List<?> claimed = (List<?>) reply;
            assertThat(List.of(claimed.get(4), text(claimed.get(5)))).as("started step").isEqualTo(expectStart);
            queue.handOver(new RedisJobQueue.Claimed(claimed, before, plan));
            return queue.take(WAIT).orElseThrow();
        }

        /** Submits a new job of the workflow through this release's submit. */
        Job submit(String id) {
            Job job = Job.builder().id(id).workflowName("up").status(JobStatus.QUEUED)
                    .initialInputValue(TextNode.valueOf("in")).build();
            queue.atomicSubmit(store).orElseThrow().submit(List.of(job));
            return job;
        }

        Map<String, String> hash(Job job) {
            return fixture.raw().hgetAll(queue.keys().job(RedisKeys.member(job.id())));
        }
    }

    private static String text(Object reply) {
        return reply instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                : String.valueOf(reply);
    }

    private static Job running(Job job, String step, int index) {
        return job.toBuilder().status(JobStatus.RUNNING).stepName(step)
                .extraField(RuntimeFields.CURRENT_STEP, IntNode.valueOf(index)).build();
    }

    @Test
    @DisplayName("a step the old claim started is finished by this release; the old claim then leaves the next step to its worker, which this release finishes")
    void oldClaimsNewFinishes() throws Exception {
        Worker w = new Worker();
        Job job = w.submit("mixed");

        Delivery first = w.takeWithOldClaim(List.of(0L, "a"));
        assertThat(first.startedState()).isEqualTo(running(job, "a", 0));
        assertThat(w.hash(job)).containsEntry("status", "RUNNING").containsEntry("started", "0 a");

        Job next = running(job, "a", 0).toBuilder().status(JobStatus.QUEUED).stepName(null).stepsCompleted(1)
                .extraField(RuntimeFields.CURRENT_STEP, IntNode.valueOf(1)).build();
        w.queue.atomicStepFinish(w.store).orElseThrow().finish(first, next, next);
        assertThat(w.hash(job)).containsEntry("status", "QUEUED").containsEntry("started", "");
        assertThat(w.store.find(job.id())).contains(next);

        // the old claim reads the emptied marker as a start already recorded: it starts nothing
        // and hands the message out as it is (its worker starts the step with start_step.lua)
        Delivery second = w.takeWithOldClaim(List.of(-1L, ""));
        assertThat(second.job()).isEqualTo(next);
        assertThat(second.startedState()).isNull();
        assertThat(w.hash(job)).containsEntry("status", "QUEUED");

        Job done = running(next, "b", 1).toBuilder().status(JobStatus.COMPLETED).stepsCompleted(2).build();
        w.queue.atomicStepFinish(w.store).orElseThrow().finish(second, done, null);
        assertThat(w.store.find(job.id())).contains(done);
        assertThat(w.queue.take(Duration.ZERO)).isEmpty();
    }

    @Test
    @DisplayName("the old ack ends a lease this release's claim took, and cleans up after the message")
    void newClaimsOldAcks() throws Exception {
        Worker w = new Worker();
        Job job = w.submit("acked-by-old");
        Delivery delivery = w.queue.take(WAIT).orElseThrow();
        assertThat(delivery.startedState()).isEqualTo(running(job, "a", 0));
        RedisDelivery lease = (RedisDelivery) delivery;

        Object acked = OLD_ACK.run(fixture.raw(), w.queue.keys().queueKeys(),
                List.of(lease.messageId(), lease.deliveryCount()));

        assertThat(acked).isEqualTo(1L);
        assertThat(fixture.raw().hlen(w.queue.keys().msgs())).isZero();
        assertThat(fixture.raw().hlen(w.queue.keys().deliveries())).isZero();
        assertThat(fixture.raw().hlen(w.queue.keys().puts())).isZero();
        delivery.ack(); // this release's ack of the same delivery: the lease is gone, nothing changes
        assertThat(w.queue.take(Duration.ZERO)).isEmpty();
    }

    @Test
    @DisplayName("a job hash written before the steps field was kept is started from its decoded JSON")
    void hashWithoutSteps() throws Exception {
        Worker w = new Worker();
        Job job = w.submit("older");
        fixture.raw().hdel(w.queue.keys().job(RedisKeys.member(job.id())), "steps", "attempt");

        Delivery delivery = w.queue.take(WAIT).orElseThrow();

        assertThat(delivery.startedState()).isEqualTo(running(job, "a", 0));
        assertThat(w.hash(job)).containsEntry("started", "0 a");
        delivery.ack();
    }
}
