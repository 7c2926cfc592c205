package dev.ergate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.StateStore;
import dev.ergate.testkit.contract.EndToEndContract;
import dev.ergate.testkit.contract.JobQueueContract;
import dev.ergate.testkit.contract.JobStoreContract;
import dev.ergate.testkit.contract.StartOnTakeContract;
import dev.ergate.testkit.contract.SubmitContract;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The queue, store and end-to-end contracts against a real Redis Cluster (3 nodes, from {@code
 * redis-cluster://} URIs; {@code .ci/run} starts one on 127.0.0.1:7000-7002): every script runs
 * on the node that owns the namespace's slot and declares the keys it touches. Skipped without
 * a cluster, failed in CI.
 */
@DisplayName("Ergate on a Redis Cluster")
class RedisClusterTest {

    private static final AtomicInteger QUEUES = new AtomicInteger();
    private static @Nullable RedisFixture fixture;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.openCluster("cluster");
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static RedisFixture fixture() {
        if (fixture == null) {
            throw new IllegalStateException("no cluster fixture: connect() did not run");
        }
        return fixture;
    }

    @Nested
    @DisplayName("RedisJobQueue passes the JobQueue contract")
    class Queue extends JobQueueContract {

        private final RedisBackend backend = fixture().backend();

        @Override
        protected JobQueue newQueue(Duration leaseTime) {
            return backend.queue(RedisQueueOptions.builder().name("cluster-" + QUEUES.incrementAndGet())
                    .leaseTime(leaseTime).build());
        }

        @Override
        protected boolean putRaw(JobQueue queue, byte[] message) {
            fixture().raw().rpush(((RedisJobQueue) queue).keys().ready().getBytes(StandardCharsets.UTF_8), message);
            return true;
        }

        @Override
        protected boolean supportsPriorities() {
            return true;
        }

        @Override
        protected Duration timingSlack() {
            return Duration.ofSeconds(1);
        }
    }

    @Nested
    @DisplayName("RedisJobStore passes the JobStore contract")
    class Store extends JobStoreContract {

        @Override
        protected JobStore newStore() {
            return fixture().backend().store();
        }

        @Override
        protected boolean supportsUniqueKeys() {
            return true;
        }

        @Override
        protected boolean supportsUniqueKeyHold() {
            return true;
        }

        @Override
        protected JobQueue atomicQueue(JobStore store, Duration leaseTime) {
            return ((RedisJobStore) store).backend().queue(RedisQueueOptions.builder()
                    .name("cluster-" + QUEUES.incrementAndGet()).leaseTime(leaseTime).build());
        }
    }

    @Nested
    @DisplayName("RedisJobQueue and RedisJobStore pass the submit contract (submit.lua's declared keys)")
    class Submit extends SubmitContract {

        private static final long MAX_BYTES = 64 * 1024;
        private final RedisBackend backend = fixture().backend();

        @Override
        protected JobQueue newQueue() {
            return backend.queue(RedisQueueOptions.builder().name("cluster-" + QUEUES.incrementAndGet())
                    .maxJobBytes(MAX_BYTES).build());
        }

        @Override
        protected JobStore newStore() {
            return backend.store();
        }

        @Override
        protected boolean atomic() {
            return true;
        }

        @Override
        protected OptionalLong maxJobBytes() {
            return OptionalLong.of(MAX_BYTES);
        }
    }

    @Nested
    @DisplayName("Ergate passes the end-to-end contract")
    class EndToEnd extends EndToEndContract {

        private @Nullable RedisBackend current;

        @Override
        protected JobQueue newQueue(Duration leaseTime) {
            current = fixture().backend();
            return current.queue(RedisQueueOptions.builder().leaseTime(leaseTime).build());
        }

        @Override
        protected StateStore newStore() {
            if (current == null) {
                throw new IllegalStateException("newQueue must come first: the store shares the queue's backend");
            }
            return current.store();
        }
    }

    @Nested
    @DisplayName("RedisJobQueue passes the start-on-take contract")
    class StartOnTake extends StartOnTakeContract {

        private @Nullable RedisBackend current;

        @Override
        protected JobQueue newQueue() {
            current = fixture().backend();
            return current.queue(RedisQueueOptions.builder().name("cluster-" + QUEUES.incrementAndGet())
                    .leaseTime(Duration.ofMinutes(5)).build());
        }

        @Override
        protected JobStore store() {
            if (current == null) {
                throw new IllegalStateException("newQueue must come first: the store shares the queue's backend");
            }
            return current.store();
        }
    }

    @Nested
    @DisplayName("the one undeclared read (call_undeclared, used by the claim that starts a step)")
    class UndeclaredRead {

        @Test
        @DisplayName("a key of the slot is read; a key Redis refuses comes back as nothing and the script goes on")
        void refusedKeyIsNothing() {
            RedisBackend backend = fixture().backend();
            RedisKeys keys = new RedisKeys(backend.options().namespace(), "q");
            String declared = keys.job("declared");
            String sameSlot = keys.job("same-slot");
            backend.client().set(sameSlot, "here");
            LuaScript script = LuaScript.load("test_call_undeclared");

            assertThat(texts(script.run(backend.client(), List.of(declared), List.of(sameSlot))))
                    .containsExactly("here", "went on");
            // a key of another slot: another node's or not, Redis refuses it inside a cluster script
            assertThat(texts(script.run(backend.client(), List.of(declared), List.of("{ergate-test-other}:x"))))
                    .containsExactly("refused", "went on");
            backend.client().del(sameSlot);
        }

        private static List<String> texts(@Nullable Object reply) {
            return ((List<?>) java.util.Objects.requireNonNull(reply)).stream()
                    .map(value -> new String((byte[]) value, StandardCharsets.UTF_8)).toList();
        }
    }

    @Nested
    @DisplayName("the publisher's atomic publish")
    class Publish {

        @Test
        @DisplayName("claims, records QUEUED and puts one message in one script on the namespace's node")
        void atomicPublish() {
            RedisBackend backend = fixture().backend();
            RedisJobStore store = backend.store();
            RedisJobQueue queue = backend.queue(RedisQueueOptions.builder()
                    .name("cluster-" + QUEUES.incrementAndGet()).build());
            store.update(Job.builder().id("p").workflowName("wf").status(JobStatus.PENDING).stepName("a").build());
            RedisJobSource source = RedisJobSource.over(store);
            Job claimed = source.claimDue(Instant.now(), 10).get(0);

            assertThat(source.atomicPublish(queue).orElseThrow()
                    .publish(claimed.toBuilder().status(JobStatus.QUEUED).build())).isTrue();
            assertThat(queue.counts().total()).isEqualTo(1);
            assertThat(store.find(JobId.of("p")).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        }
    }

    @Nested
    @DisplayName("finishes pipelined across worker threads")
    class Pipeline {

        @Test
        @DisplayName("go to the namespace's node in one pipeline; each finish gets its own outcome")
        void pipelinedTogether() throws Exception {
            RedisFinishPipelineTest.pipelinedTogether(fixture());
        }
    }
}
