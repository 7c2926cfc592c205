package dev.ergate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.RuntimeFields;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.StepPlan;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * What the claim that starts a step (start_claimed in lib.lua) leaves in Redis, and the jobs it
 * leaves alone; the start-on-take contract (RedisStartOnTakeContractTest) has the rest.
 */
@DisplayName("Redis: the claim starts the step")
class RedisStartOnTakeTest {

    private static final Map<String, List<String>> STEPS = Map.of("sot", List.of("a", "b"));
    private static final StepPlan PLAN = () -> STEPS;
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static RedisFixture fixture;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("start-on-take");
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private record Setup(RedisBackend backend, RedisJobQueue queue, RedisJobStore store) {
        Setup() {
            this(fixture.backend());
        }

        Setup(RedisBackend backend) {
            this(backend, backend.queue(), backend.store());
            assertThat(queue.startOnTake(store, PLAN)).isTrue();
        }

        void submit(Job job) {
            queue.atomicSubmit(store).orElseThrow().submit(List.of(job));
        }

        Delivery take() throws InterruptedException {
            return queue.take(WAIT).orElseThrow();
        }

        Map<String, String> hash(Job job) {
            return fixture.raw().hgetAll(queue.keys().job(RedisKeys.member(job.id())));
        }
    }

    private static Job job(Object id) {
        Job.Builder builder = Job.builder().workflowName("sot").status(JobStatus.QUEUED)
                .initialInputValue(TextNode.valueOf("in"));
        return (id instanceof Long number ? builder.id(JobId.of(number)) : builder.id(String.valueOf(id))).build();
    }

    private static Job running(Job job, String step, int index) {
        return job.toBuilder().status(JobStatus.RUNNING).stepName(step)
                .extraField(RuntimeFields.CURRENT_STEP, IntNode.valueOf(index)).build();
    }

    @Test
    @DisplayName("the job hash keeps the QUEUED JSON byte for byte, with status RUNNING and a start marker; the next write replaces both")
    void markerThenReplaced() throws Exception {
        Setup s = new Setup();
        Job job = job("marked");
        s.submit(job);
        String queuedJson = s.hash(job).get("json");

        Delivery delivery = s.take();

        Map<String, String> hash = s.hash(job);
        assertThat(hash.get("json")).isEqualTo(queuedJson);
        assertThat(hash).containsEntry("status", "RUNNING").containsEntry("started", "0 a");
        assertThat(delivery.startedState()).isEqualTo(running(job, "a", 0));
        assertThat(fixture.raw().zscore(s.queue.keys().statusIndex("RUNNING"), RedisKeys.member(job.id()))).isNotNull();
        assertThat(fixture.raw().zscore(s.queue.keys().statusIndex("QUEUED"), RedisKeys.member(job.id()))).isNull();

        Job next = running(job, "a", 0).toBuilder().status(JobStatus.QUEUED).stepName(null).stepsCompleted(1)
                .extraField(RuntimeFields.CURRENT_STEP, IntNode.valueOf(1)).build();
        s.queue.atomicStepFinish(s.store).orElseThrow().finish(delivery, next, next);
        // the finish claimed the next step for this worker and started it: the marker is the new one
        assertThat(s.hash(job)).containsEntry("started", "1 b").containsEntry("status", "RUNNING");
        Delivery second = s.take();
        assertThat(second.startedState()).isEqualTo(running(next, "b", 1));
        Job done = running(next, "b", 1).toBuilder().status(JobStatus.COMPLETED).stepsCompleted(2).build();
        s.queue.atomicStepFinish(s.store).orElseThrow().finish(second, done, null);
        // the marker is emptied by the write (one HSET), which every reader takes for none
        assertThat(s.hash(job)).containsEntry("started", "").containsEntry("status", "COMPLETED");
        assertThat(s.store.find(job.id())).contains(done);
    }

    @Test
    @DisplayName("a job a finish claimed and started, given back as the worker stops, reads QUEUED again and starts on its next take")
    void heldJobGivenBackIsUnstarted() throws Exception {
        Setup s = new Setup();
        Job job = job("held");
        s.submit(job);
        Delivery delivery = s.take();
        Job next = running(job, "a", 0).toBuilder().status(JobStatus.QUEUED).stepName(null).stepsCompleted(1)
                .extraField(RuntimeFields.CURRENT_STEP, IntNode.valueOf(1)).build();
        s.queue.atomicStepFinish(s.store).orElseThrow().finish(delivery, next, next);
        assertThat(s.hash(job)).containsEntry("status", "RUNNING").containsEntry("started", "1 b");

        s.queue.releaseHeld(); // the worker stops before it takes what its last finish claimed

        assertThat(s.hash(job)).containsEntry("status", "QUEUED").doesNotContainKey("started");
        assertThat(s.store.find(job.id())).contains(next);
        assertThat(fixture.raw().zscore(s.queue.keys().statusIndex("QUEUED"), RedisKeys.member(job.id()))).isNotNull();
        assertThat(fixture.raw().zscore(s.queue.keys().statusIndex("RUNNING"), RedisKeys.member(job.id()))).isNull();
        Delivery again = s.take();
        assertThat(again.startedState()).as("started by the next claim").isEqualTo(running(next, "b", 1));
        again.ack();
    }

    @Test
    @DisplayName("a numeric id is started too; a job over 16 KiB and a raw-pushed one are delivered unstarted")
    void whichJobs() throws Exception {
        Setup s = new Setup();
        Job numeric = job(4_503_599_627_370_497L);
        s.submit(numeric);
        Delivery first = s.take();
        assertThat(first.startedState()).isEqualTo(running(numeric, "a", 0));
        first.ack();

        Job big = job("big").toBuilder().initialInputValue(TextNode.valueOf("x".repeat(17_000))).build();
        s.submit(big);
        Delivery large = s.take();
        assertThat(large.startedState()).isNull();
        assertThat(s.hash(big)).containsEntry("status", "QUEUED").doesNotContainKey("started");
        large.ack();

        Job raw = job("raw");
        s.store.update(raw);
        byte[] stored = s.hash(raw).get("json").getBytes(StandardCharsets.UTF_8);
        fixture.raw().rpush(s.queue.keys().ready().getBytes(StandardCharsets.UTF_8), stored);
        Delivery pushed = s.take();
        assertThat(pushed.job()).isEqualTo(raw);
        assertThat(pushed.startedState()).isNull();
        assertThat(s.hash(raw)).containsEntry("status", "QUEUED");
        pushed.ack();
    }

    @Test
    @DisplayName("a job whose JSON does not name it plainly in its head (an escaped id, an \"id\" nested in its input) is started from the decoded JSON")
    void decodedWhenTheHeadSaysOtherwise() throws Exception {
        Setup s = new Setup();
        Job escaped = job("quo\"te\\d");
        Job nested = job("nested").toBuilder()
                .initialInputValue(new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"id\":\"other\",\"step_name\":\"x\"}"))
                .build();
        Job numeric = job(42L);
        for (Job job : List.of(escaped, nested, numeric)) {
            s.submit(job);
            Delivery delivery = s.take();
            assertThat(delivery.job()).isEqualTo(job);
            assertThat(delivery.startedState()).as(job.id().toString()).isEqualTo(running(job, "a", 0));
            assertThat(s.hash(job)).containsEntry("started", "0 a");
            delivery.ack();
        }
    }

    @Test
    @DisplayName("a job hash whose steps field disagrees with its JSON is started at the JSON's step (the index is read off the hash only when the two agree)")
    void stepFromTheJsonWhenTheHashDisagrees() throws Exception {
        Setup s = new Setup();
        Job job = job("disagrees");
        s.submit(job);
        fixture.raw().hset(s.queue.keys().job(RedisKeys.member(job.id())), "steps", "1");

        Delivery delivery = s.take();

        assertThat(delivery.startedState()).isEqualTo(running(job, "a", 0));
        assertThat(s.hash(job)).containsEntry("started", "0 a");
        delivery.ack();
    }

    @Test
    @DisplayName("a plan key gone from Redis is written again: the claim that finds it gone starts nothing, the next one does")
    void planKeyWrittenAgain() throws Exception {
        Setup s = new Setup();
        Job warm = job("warm");
        s.submit(warm);
        s.take().ack(); // writes the plan
        UnifiedJedis raw = fixture.raw();
        Set<String> plans = raw.keys(s.queue.keys().plan("*"));
        assertThat(plans).hasSize(1);
        assertThat(raw.pttl(plans.iterator().next())).isPositive();
        raw.del(plans.iterator().next());

        Job lost = job("lost");
        s.submit(lost);
        Delivery unstarted = s.take();
        assertThat(unstarted.startedState()).isNull();
        unstarted.ack();

        Job again = job("again");
        s.submit(again);
        Delivery started = s.take();
        assertThat(started.startedState()).isEqualTo(running(again, "a", 0));
        assertThat(raw.keys(s.queue.keys().plan("*"))).isEqualTo(plans);
        started.ack();
    }

    @Test
    @DisplayName("a queue asked with the store of another backend, or never asked, starts nothing")
    void notAsked() throws Exception {
        RedisBackend backend = fixture.backend();
        RedisJobQueue queue = backend.queue();
        assertThat(queue.startOnTake(fixture.backend().store(), PLAN)).isFalse();
        Job job = job("plain");
        queue.atomicSubmit(backend.store()).orElseThrow().submit(List.of(job));
        Delivery delivery = queue.take(WAIT).orElseThrow();
        assertThat(delivery.startedState()).isNull();
        assertThat(backend.store().find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        delivery.ack();
    }
}
