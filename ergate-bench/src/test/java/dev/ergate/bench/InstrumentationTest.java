package dev.ergate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.AtomicStepFinish;
import dev.ergate.spi.JobPage;
import dev.ergate.spi.JobQuery;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.StateStore;
import dev.ergate.spi.StepStart;
import dev.ergate.testkit.InMemoryJobQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InstrumentationTest {

    private final RunTracker tracker = new RunTracker(2, TextNode.valueOf("p"), 1);
    private final Job queued = BenchWorkflow.job(JobId.of("a"), TextNode.valueOf("p")).toBuilder()
            .stepsCompleted(1).build();

    @Test
    void theLatestStateStoreStartsAStepOnlyOverAStateThatAllowsIt() {
        LatestStateStore store = new LatestStateStore();
        Job running = queued.toBuilder().status(JobStatus.RUNNING).build();

        assertThat(store.startStep(running)).isEqualTo(StepStart.STARTED);
        assertThat(store.find(JobId.of("a"))).contains(running);
        store.requestCancel(JobId.of("a"));
        assertThat(store.startStep(running)).isEqualTo(StepStart.CANCEL_REQUESTED);
        assertThat(store.find(JobId.of("a")).orElseThrow().status()).isEqualTo(JobStatus.CANCELLING);
        store.update(running.toBuilder().status(JobStatus.COMPLETED).build());
        assertThat(store.startStep(running)).isEqualTo(StepStart.ALREADY_FINAL);
        assertThat(store.find(JobId.of("a")).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void aJobStoreStaysAJobStoreSoTheWorkerStillChecksForCancellation() {
        LatestStateStore inner = new LatestStateStore();
        StateStore wrapped = Instrumentation.store(inner, tracker);
        assertThat(wrapped).isInstanceOf(JobStore.class);
        wrapped.update(queued);
        assertThat(((JobStore) wrapped).find(JobId.of("a"))).contains(queued);
        assertThat(((JobStore) wrapped).requestCancel(JobId.of("a"))).isTrue();
        assertThat(inner.find(JobId.of("a")).orElseThrow().status()).isEqualTo(JobStatus.CANCELLING);

        StateStore plain = Instrumentation.store(job -> { }, tracker);
        assertThat(plain).isNotInstanceOf(JobStore.class);
    }

    @Test
    void startingAStepGoesToTheStoresOwnStartStepNotTheDefaultFindAndUpdate() {
        List<String> calls = new ArrayList<>();
        LatestStateStore inner = new LatestStateStore();
        JobStore recording = new JobStore() {
            @Override
            public void update(Job job) {
                calls.add("update");
                inner.update(job);
            }

            @Override
            public Optional<Job> find(JobId id) {
                calls.add("find");
                return inner.find(id);
            }

            @Override
            public JobPage list(JobQuery query) {
                return inner.list(query);
            }

            @Override
            public boolean requestCancel(JobId id) {
                return inner.requestCancel(id);
            }

            @Override
            public StepStart startStep(Job running) {
                calls.add("startStep");
                inner.update(running);
                return StepStart.STARTED;
            }
        };
        JobStore wrapped = (JobStore) Instrumentation.store(recording, tracker);

        Job running = queued.toBuilder().status(JobStatus.RUNNING).build();
        assertThat(wrapped.startStep(running)).isEqualTo(StepStart.STARTED);

        assertThat(calls).containsExactly("startStep");
        assertThat(inner.find(JobId.of("a"))).contains(running);
    }

    @Test
    void everyWriteAfterAStepIsReported() {
        StateStore wrapped = Instrumentation.store(new LatestStateStore(), tracker);
        wrapped.update(queued);
        tracker.stepStarted(queued.toBuilder().status(JobStatus.RUNNING).build());
        assertThat(tracker.latency().getTotalCount()).isEqualTo(1);
    }

    @Test
    void theAtomicFinishIsAskedWithTheRealStoreAndReported() throws Exception {
        List<StateStore> askedWith = new ArrayList<>();
        List<Job> finished = new ArrayList<>();
        LatestStateStore inner = new LatestStateStore();
        try (InMemoryJobQueue memory = InMemoryJobQueue.create()) {
            JobQueue atomicQueue = new JobQueue() {
                @Override
                public void put(Job job) {
                    memory.put(job);
                }

                @Override
                public Optional<dev.ergate.spi.Delivery> take(Duration maxWait) throws InterruptedException {
                    return memory.take(maxWait);
                }

                @Override
                public Optional<AtomicStepFinish> atomicStepFinish(StateStore store) {
                    askedWith.add(store);
                    return Optional.of((delivery, state, next) -> finished.add(state));
                }
            };
            JobQueue wrapped = Instrumentation.queue(atomicQueue, tracker);
            StateStore wrappedStore = Instrumentation.store(inner, tracker);
            AtomicStepFinish finish = wrapped.atomicStepFinish(wrappedStore).orElseThrow();
            wrapped.put(queued);
            dev.ergate.spi.Delivery delivery = wrapped.take(Duration.ofSeconds(1)).orElseThrow();
            finish.finish(delivery, queued, queued);
        }
        assertThat(askedWith).containsExactly(inner);
        assertThat(finished).containsExactly(queued);
        tracker.stepStarted(queued.toBuilder().status(JobStatus.RUNNING).build());
        assertThat(tracker.latency().getTotalCount()).as("the finish was reported as a write").isEqualTo(1);
    }

    @Test
    void aQueueWithoutAtomicFinishStaysWithout() {
        JobQueue wrapped = Instrumentation.queue(InMemoryJobQueue.create(), tracker);
        assertThat(wrapped.atomicStepFinish(new LatestStateStore())).isEmpty();
    }
}
