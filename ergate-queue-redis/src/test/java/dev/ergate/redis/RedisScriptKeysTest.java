package dev.ergate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.AtomicSubmit;
import dev.ergate.spi.Delivery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Issue 14, item 11: on Redis Cluster a script must declare every key it touches (else a slot
 * migration can fail it half-way), all of one script's keys must be in one slot, and a put a
 * client retries must not double a job. Every Redis test runs its scripts with {@link
 * LuaScript#checkKeys} on (set by {@link RedisFixture}), which fails any command on a key not in
 * KEYS; this class checks that check, the keys the scripts name for a second run, the slots, and
 * the idempotent put.
 */
@DisplayName("Redis scripts on a cluster: declared keys, one slot, idempotent put")
class RedisScriptKeysTest {

    private static final LuaScript UNDECLARED = LuaScript.load("test_undeclared");
    private static final LuaScript NEED = LuaScript.load("test_need");
    private static RedisFixture fixture;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("keys");
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static Job job(String id, int steps) {
        return Job.builder().id(id).workflowName("wf").stepName("s" + steps).stepsCompleted(steps).build();
    }

    @Test
    @DisplayName("the test check fails a script that touches a key it was not given in KEYS")
    void checkCatchesUndeclaredKeys() {
        assertThat(LuaScript.checkKeys).as("RedisFixture turns the check on for every Redis test").isTrue();
        RedisBackend backend = fixture.backend();
        String tag = "{" + backend.options().namespace() + "}";
        String declared = tag + ":declared";
        String other = tag + ":other";
        fixture.raw().set(other, "x");

        assertThatThrownBy(() -> UNDECLARED.run(backend.client(), List.of(declared), List.of(other)))
                .isInstanceOf(JedisDataException.class).hasMessageContaining("ERGATE_TEST_UNDECLARED_KEY")
                .hasMessageContaining(other);
        assertThat(UNDECLARED.run(backend.client(), List.of(declared, other), List.of(other)))
                .isEqualTo("x".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("a key a script needs but was not given is named by its first run and declared by the second")
    void namedKeysDeclaredOnTheNextRun() {
        RedisBackend backend = fixture.backend();
        String tag = "{" + backend.options().namespace() + "}";
        fixture.raw().set(tag + ":needed", "y");

        List<?> reply = (List<?>) NEED.run(backend.client(), List.of(tag + ":first"), List.of(tag + ":needed"));

        assertThat(new String((byte[]) reply.get(0), StandardCharsets.UTF_8)).isEqualTo("y");
        assertThat(reply.get(1)).as("keys of the second run").isEqualTo(2L);
        assertThatThrownBy(() -> NEED.run(backend.client(), List.of(tag + ":first"), List.of("{elsewhere}:needed")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("outside its hash slot");
    }

    @Test
    @DisplayName("every key the adapter builds for one namespace is in the namespace's slot")
    void oneSlot() {
        RedisKeys keys = new RedisKeys("ns-" + System.nanoTime(), "orders");
        List<byte[]> all = new ArrayList<>(keys.withIndexes(keys.queueAndStoreKeys("s:42"), "wf", "another wf"));
        for (String key : List.of(keys.job("n:7"), keys.allJobs(), keys.expiring(), keys.jobSeq(), keys.dead(),
                keys.puts(), keys.jobPrefix() + "s:x", keys.indexPrefix() + "final")) {
            all.add(key.getBytes(StandardCharsets.UTF_8));
        }
        int slot = JedisClusterCRC16.getSlot(all.get(0));
        for (byte[] key : all) {
            assertThat(JedisClusterCRC16.getSlot(key)).as(new String(key, StandardCharsets.UTF_8)).isEqualTo(slot);
        }
        assertThat(keys.statusIndexes()).hasSize(JobStatus.values().length);
    }

    @Test
    @DisplayName("a put retried (same job, step and attempt) while its message exists leaves one message")
    void putIsIdempotent() throws Exception {
        RedisJobQueue queue = fixture.backend().queue();
        Job first = job("twice", 1);

        queue.put(first);
        queue.put(first);
        assertThat(queue.counts().ready()).as("messages after a put and its retry").isEqualTo(1);

        queue.put(job("twice", 2));
        assertThat(queue.counts().ready()).as("a put of the next step is another message").isEqualTo(2);

        Delivery taken = queue.take(Duration.ofSeconds(5)).orElseThrow();
        queue.put(taken.job()); // its message is leased, not gone: still one
        assertThat(queue.counts().ready() + queue.counts().inFlight()).isEqualTo(2);
        taken.ack();
        queue.put(taken.job()); // acked: a new put of the same step is a new message
        assertThat(queue.counts().ready()).isEqualTo(2);
        assertThat(fixture.raw().hlen(queue.keys().puts())).as("put tokens (two each way)").isEqualTo(4);
    }

    @Test
    @DisplayName("an atomic submit retried after a lost reply leaves one message")
    void submitIsIdempotent() {
        RedisBackend backend = fixture.backend();
        RedisJobQueue queue = backend.queue();
        RedisJobStore store = backend.store();
        AtomicSubmit submit = queue.atomicSubmit(store).orElseThrow();
        Job job = job("submitted", 0).toBuilder().status(JobStatus.QUEUED).build();

        submit.submit(List.of(job));
        submit.submit(List.of(job));

        assertThat(queue.counts().ready()).isEqualTo(1);
        assertThat(store.find(JobId.of("submitted"))).isPresent();
    }

    @Test
    @DisplayName("a listing whose index grew between its two runs ends the page before the job it was not given")
    void listingStopsBeforeAJobThatAppearedBetweenRuns() {
        RedisBackend backend = fixture.backend();
        RedisJobStore store = backend.store();
        String workflow = "listing-" + System.nanoTime();
        for (int i = 1; i <= 4; i++) {
            store.update(Job.builder().id(workflow + "-" + i).workflowName(workflow).status(JobStatus.QUEUED).build());
        }
        RedisKeys keys = backend.queue().keys();
        List<Object> scriptKeys = new ArrayList<>(keys.storeKeys(""));
        scriptKeys.addAll(store.indexes(null, workflow));
        // the second run of a listing whose first run saw only jobs 1 and 2: 3 and 4 came after it
        for (int i = 1; i <= 2; i++) {
            scriptKeys.add(keys.job(RedisKeys.member(JobId.of(workflow + "-" + i))));
        }

        List<?> reply = (List<?>) Scripts.LIST_JOBS.run(backend.client(), scriptKeys, List.of(0, 10,
                System.currentTimeMillis(), keys.indexPrefix(), keys.jobPrefix(), "", workflow, 11));

        assertThat(reply.get(0)).as("more after this page").isEqualTo(1L);
        assertThat((reply.size() - 2) / 3).as("jobs on the page: the two it was given").isEqualTo(2);
        String cursor = new String((byte[]) reply.get(1), StandardCharsets.UTF_8);
        assertThat(store.list(dev.ergate.spi.JobQuery.builder().workflowName(workflow).pageSize(10).build()).jobs())
                .as("a listing through the store still sees all four").hasSize(4);
        assertThat(cursor).as("the next page starts after job 2").isNotEmpty();
    }
}
