package dev.ergate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.LeaseLostException;
import dev.ergate.spi.QueueCounts;
import dev.ergate.spi.StaleStateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("finishes of several worker threads pipelined into one round trip")
class RedisFinishPipelineTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static RedisFixture fixture;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("pipe");
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    @DisplayName("finishes that arrive while one is in flight go out together; each gets its own outcome")
    void pipelinedTogether() throws Exception {
        pipelinedTogether(fixture);
    }

    @Test
    @DisplayName("a pipeline of finishes after Redis forgot the script: each is run again alone, and succeeds")
    void pipelineAfterScriptFlush() throws Exception {
        RedisBackend backend = fixture.backend();
        RedisJobQueue queue = backend.queue();
        RedisJobStore store = backend.store();
        RedisFinishPipeline finisher = (RedisFinishPipeline) queue.atomicStepFinish(store).orElseThrow();
        List<Delivery> deliveries = takeNew(queue, "f", 4);
        List<Job> states = new ArrayList<>();
        for (Delivery delivery : deliveries) {
            states.add(delivery.job().toBuilder().status(JobStatus.COMPLETED).stepsCompleted(1).build());
        }

        Map<Integer, @Nullable Throwable> outcomes = finishTogether(finisher, deliveries, states,
                () -> fixture.flushScripts(backend));

        assertThat(outcomes).containsOnlyKeys(0, 1, 2, 3);
        assertThat(outcomes.values()).containsOnlyNulls();
        assertThat(finisher.pipelinesSent()).isEqualTo(1);
        for (Job state : states) {
            assertThat(store.find(state.id())).contains(state);
        }
        assertThat(queue.counts().total()).isZero();
    }

    @Test
    @DisplayName("is what the queue offers by default; off, each finish is its own call")
    void option() {
        RedisBackend backend = fixture.backend();
        assertThat(backend.queue().atomicStepFinish(backend.store())).containsInstanceOf(RedisFinishPipeline.class);
        assertThat(backend.queue(RedisQueueOptions.builder().pipelineFinishes(false).build())
                .atomicStepFinish(backend.store())).containsInstanceOf(RedisStepFinish.class);
        assertThat(RedisQueueOptions.defaults().toBuilder().pipelineFinishes(false).build().toString())
                .contains("pipelineFinishes=false");
    }

    /**
     * Five finishes: the first two go alone and are held in flight (both lanes) until the other
     * three wait; those three then go in one pipeline. Two succeed (their states written, their next steps put and
     * claimed for this queue's takes), one lost its lease (the job was given back and taken
     * again), one is stale (the store holds a later step): each of those two fails alone, and
     * nothing of it is written.
     */
    static void pipelinedTogether(RedisFixture fixture) throws Exception {
        RedisBackend backend = fixture.backend();
        RedisJobQueue queue = backend.queue();
        RedisJobStore store = backend.store();
        RedisFinishPipeline finisher = (RedisFinishPipeline) queue.atomicStepFinish(store).orElseThrow();
        Job later = job("stale").toBuilder().status(JobStatus.RUNNING).stepName("three").stepsCompleted(2).build();
        store.update(later);
        List<Delivery> deliveries = takeNew(queue, "p", 3);
        queue.put(job("lost"));
        Delivery lost = queue.take(WAIT).orElseThrow();
        lost.release(Duration.ZERO);
        Delivery current = queue.take(WAIT).orElseThrow(); // the job's lease is now this delivery's
        assertThat(current.job().id()).isEqualTo(JobId.of("lost"));
        queue.put(job("stale")); // a duplicate message of step one, behind the stored step three
        Delivery stale = queue.take(WAIT).orElseThrow();
        deliveries.add(lost);
        deliveries.add(stale);
        List<Job> states = new ArrayList<>();
        for (Delivery delivery : deliveries) {
            states.add(delivery.job().toBuilder().stepName("two").stepsCompleted(1).build());
        }

        Map<Integer, @Nullable Throwable> outcomes = finishTogether(finisher, deliveries, states, () -> { });

        assertThat(finisher.pipelinesSent()).isEqualTo(1);
        for (int i = 0; i < 3; i++) {
            assertThat(outcomes.get(i)).as("finish %d", i).isNull();
            assertThat(store.find(states.get(i).id())).contains(states.get(i));
        }
        assertThat(outcomes.get(3)).isInstanceOf(LeaseLostException.class).hasMessageContaining("job lost");
        assertThat(store.find(JobId.of("lost"))).isEmpty();
        assertThat(outcomes.get(4)).isInstanceOf(StaleStateException.class).hasMessageContaining("job stale");
        assertThat(store.find(JobId.of("stale"))).contains(later);
        // the three next steps were claimed by their finishes for this queue's takes; the lost
        // job is still leased by its current delivery
        assertThat(queue.counts()).isEqualTo(new QueueCounts(0, 0, 4, 0, false));
        Set<JobId> handedOver = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            Delivery next = queue.take(Duration.ZERO).orElseThrow();
            assertThat(next.job().stepsCompleted()).isEqualTo(1);
            handedOver.add(next.job().id());
            next.ack();
        }
        assertThat(handedOver).containsExactlyInAnyOrder(JobId.of("p0"), JobId.of("p1"), JobId.of("p2"));
        current.ack();
        assertThat(queue.counts().total()).isZero();
    }

    /**
     * Finishes {@code deliveries[i]} with {@code states[i]} (as the next step too, unless final), each on its own
     * thread: the first {@link RedisFinishPipeline#LANES} go alone and are held in flight (every lane busy) until
     * all the others wait behind them, so those go out in one pipeline, after {@code beforePipeline} ran.
     *
     * @return each finish's failure by index, null for one that succeeded
     */
    private static Map<Integer, @Nullable Throwable> finishTogether(RedisFinishPipeline finisher,
            List<Delivery> deliveries, List<Job> states, Runnable beforePipeline) throws Exception {
        int n = deliveries.size();
        int held = RedisFinishPipeline.LANES;
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> othersWaiting = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        Consumer<List<RedisFinishPipeline.Pending>> hook = batch -> {
            batchSizes.add(batch.size());
            if (calls.incrementAndGet() <= held) {
                othersWaiting.join(); // hold the first calls in flight, one per lane
            } else {
                beforePipeline.run();
            }
        };
        finisher.beforeSend(hook);
        ExecutorService threads = Executors.newFixedThreadPool(n);
        try {
            List<Future<?>> finishes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                finishes.add(threads.submit(
                        () -> finisher.finish(deliveries.get(index), states.get(index), next(states.get(index)))));
                if (i < held) { // one at a time, so each goes alone
                    await().atMost(WAIT).until(() -> batchSizes.size() == index + 1);
                }
            }
            await().atMost(WAIT).until(() -> finisher.waiting() == n - held);
            othersWaiting.complete(null);
            Map<Integer, @Nullable Throwable> outcomes = new HashMap<>();
            for (int i = 0; i < n; i++) {
                try {
                    finishes.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    outcomes.put(i, null);
                } catch (ExecutionException e) {
                    outcomes.put(i, e.getCause());
                }
            }
            List<Integer> expected = new ArrayList<>(java.util.Collections.nCopies(held, 1));
            expected.add(n - held);
            assertThat(batchSizes).containsExactlyElementsOf(expected);
            return outcomes;
        } finally {
            finisher.beforeSend(null);
            othersWaiting.complete(null);
            threads.shutdownNow();
        }
    }

    /** {@return the next step to put with {@code state}: itself, none for a final state} */
    private static @Nullable Job next(Job state) {
        return state.status().isFinal() ? null : state;
    }

    /** {@return {@code n} deliveries of new jobs {@code prefix0..}, each at its first step} */
    private static List<Delivery> takeNew(RedisJobQueue queue, String prefix, int n) throws InterruptedException {
        List<Delivery> deliveries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            queue.put(job(prefix + i));
        }
        for (int i = 0; i < n; i++) {
            deliveries.add(queue.take(WAIT).orElseThrow());
        }
        return deliveries;
    }

    private static Job job(String id) {
        return Job.builder().id(id).workflowName("wf").stepName("one").build();
    }
}
