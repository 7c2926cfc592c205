package dev.ergate.testkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.RuntimeFields;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.Workflow;
import dev.ergate.spi.DeadLetter;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.ErgateBackendException;
import dev.ergate.spi.JobPage;
import dev.ergate.spi.JobQuery;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.StepStart;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.InMemoryJobStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The worker at the edges of its delivery guarantees (issue 14): stale deliveries, refused jobs, outages, unknown work. */
@DisplayName("The worker at the edges")
class DeliveryEdgesTest {

    private final InMemoryJobQueue queue = InMemoryJobQueue.create();
    private final InMemoryJobStore memory = InMemoryJobStore.create();
    private Ergate worker;

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.close();
        }
    }

    private static ErgateOptions.Builder fast() {
        return ErgateOptions.builder().concurrency(2).pollTimeout(Duration.ofMillis(50)).drainTimeout(Duration.ofSeconds(2))
                .backendRetryDelays(Duration.ofMillis(10), Duration.ofMillis(200)).backendRetryAttempts(2)
                .handleSignals(false);
    }

    private static Job job(String id, String workflow) {
        return Job.builder().id(id).workflowName(workflow).status(JobStatus.QUEUED).build();
    }

    private Ergate start(JobQueue q, JobStore store, ErgateOptions options, Workflow... workflows) {
        worker = Ergate.builder(q, store).options(options).build();
        for (Workflow workflow : workflows) {
            worker.registerWorkflow(workflow);
        }
        worker.start();
        return worker;
    }

    private JobStatus status(String id) {
        return memory.find(JobId.of(id)).map(Job::status).orElse(JobStatus.QUEUED);
    }

    @Test
    @DisplayName("drops a duplicate delivery of a step the job has passed, running nothing")
    void staleDeliveryDropped() {
        AtomicInteger ran = new AtomicInteger();
        Workflow two = Workflow.builder("two").step("a", com.fasterxml.jackson.databind.JsonNode.class, (in, ctx) -> ran.incrementAndGet()).step("b", com.fasterxml.jackson.databind.JsonNode.class, (in, ctx) -> "b").build();
        Job first = job("dup", "two");
        memory.update(first.toBuilder().stepsCompleted(1).extraField(RuntimeFields.CURRENT_STEP, IntNode.valueOf(1))
                .build());    // the other chain is at step b already
        queue.put(first);    // a duplicate message of step a

        start(queue, memory, fast().build(), two);

        await().atMost(10, TimeUnit.SECONDS).until(() -> queue.size() == 0);
        assertThat(ran).as("runs of the stale step").hasValue(0);
        assertThat(memory.find(JobId.of("dup")).orElseThrow().stepsCompleted()).isEqualTo(1);
    }

    @Test
    @DisplayName("puts the next step again when a stale redelivery finds its state QUEUED without a message")
    void lostNextStepPutAgain() throws Exception {
        AtomicInteger ranA = new AtomicInteger();
        Workflow two = Workflow.builder("two").step("a", com.fasterxml.jackson.databind.JsonNode.class, (in, ctx) -> ranA.incrementAndGet()).step("b", com.fasterxml.jackson.databind.JsonNode.class, (in, ctx) -> "b").build();
        Job first = job("lost", "two");
        memory.update(first.toBuilder().stepsCompleted(1).extraField(RuntimeFields.CURRENT_STEP, IntNode.valueOf(1))
                .build());    // a worker wrote step a's new state, then died before putting step b
        queue.put(first);
        queue.take(Duration.ZERO).orElseThrow().release(Duration.ZERO);    // its delivery of step a came back

        start(queue, memory, fast().build(), two);

        await().atMost(10, TimeUnit.SECONDS).until(() -> status("lost") == JobStatus.COMPLETED);
        assertThat(ranA).as("runs of the finished step a").hasValue(0);
        assertThat(memory.find(JobId.of("lost")).orElseThrow().stepsCompleted()).isEqualTo(2);
    }

    @Test
    @DisplayName("refuses the finish of a step another chain finished first, and puts nothing")
    void staleFinishPutsNothing() throws Exception {
        CountDownLatch stepRunning = new CountDownLatch(1);
        CountDownLatch otherChainDone = new CountDownLatch(1);
        Workflow two = Workflow.builder("fork").step("a", com.fasterxml.jackson.databind.JsonNode.class, (in, ctx) -> {
            stepRunning.countDown();
            otherChainDone.await(10, TimeUnit.SECONDS);
            return "mine";
        }).step("b", com.fasterxml.jackson.databind.JsonNode.class, (in, ctx) -> "b").build();
        Job job = job("fork-1", "fork");
        memory.update(job);
        queue.put(job);
        start(queue, memory, fast().concurrency(1).build(), two);
        assertThat(stepRunning.await(10, TimeUnit.SECONDS)).isTrue();
        Job otherChain = job.toBuilder().stepsCompleted(1).extraField(RuntimeFields.CURRENT_STEP, IntNode.valueOf(1))
                .lastReturnValue(com.fasterxml.jackson.databind.node.TextNode.valueOf("theirs")).build();
        memory.update(otherChain);    // the other chain finished step a (its message for b is elsewhere)

        otherChainDone.countDown();

        await().atMost(10, TimeUnit.SECONDS).until(() -> worker.busyThreads() == 0 && queue.size() == 0);
        assertThat(memory.find(JobId.of("fork-1")).orElseThrow()).isEqualTo(otherChain);
        assertThat(memory.history(JobId.of("fork-1"))).noneMatch(j -> "mine".equals(j.lastReturnValue().asText()));
    }

    @Test
    @DisplayName("counts only deliveries whose step started toward maxDeliveries")
    void giveBacksBeforeStartDoNotCount() throws Exception {
        queue.put(job("patient", "one"));
        for (int i = 0; i < 5; i++) {    // five deliveries given back before their step started
            Delivery delivery = queue.take(Duration.ofSeconds(1)).orElseThrow();
            delivery.release(Duration.ZERO);
        }
        Workflow one = Workflow.builder("one").step("a", com.fasterxml.jackson.databind.JsonNode.class, (in, ctx) -> "done").build();

        start(queue, memory, fast().maxDeliveries(2).build(), one);

        await().atMost(10, TimeUnit.SECONDS).until(() -> status("patient") == JobStatus.COMPLETED);
        assertThat(queue.deadLetters()).isEmpty();
    }

    /** A store that fails every call transiently while down. */
    static final class FlakyStore extends ForwardingStore {
        volatile boolean down;
        final AtomicInteger failures = new AtomicInteger();

        FlakyStore(JobStore delegate) {
            super(delegate);
        }

        @Override
        void check() {
            if (down) {
                failures.incrementAndGet();
                throw new ErgateBackendException("flaky store: connection refused", null, true);
            }
        }
    }

    /** A queue counting its deliveries. */
    static final class CountingQueue implements JobQueue {
        final JobQueue delegate;
        final AtomicInteger delivered = new AtomicInteger();

        CountingQueue(JobQueue delegate) {
            this.delegate = delegate;
        }

        @Override
        public void put(Job job) {
            delegate.put(job);
        }

        @Override
        public Optional<Delivery> take(Duration maxWait) throws InterruptedException {
            Optional<Delivery> taken = delegate.take(maxWait);
            taken.ifPresent(d -> delivered.incrementAndGet());
            return taken;
        }
    }

    @Test
    @DisplayName("pauses its takers while the store is down, and fails no healthy job")
    void storeOutage() {
        FlakyStore store = new FlakyStore(memory);
        CountingQueue counting = new CountingQueue(queue);
        for (int i = 0; i < 3; i++) {
            memory.update(job("healthy-" + i, "one"));
            queue.put(job("healthy-" + i, "one"));
        }
        store.down = true;
        Workflow one = Workflow.builder("one").step("a", com.fasterxml.jackson.databind.JsonNode.class, (in, ctx) -> "done").build();

        start(counting, store, fast().maxDeliveries(2).build(), one);
        await().atMost(10, TimeUnit.SECONDS).until(() -> store.failures.get() >= 4);
        int deliveredWhileDown = counting.delivered.get();

        // no busy loop: while the store is down, the takers wait for it instead of taking jobs
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> counting.delivered.get() <= deliveredWhileDown + 2);
        store.down = false;

        await().atMost(20, TimeUnit.SECONDS).until(() -> List.of(0, 1, 2).stream()
                .allMatch(i -> status("healthy-" + i) == JobStatus.COMPLETED));
        assertThat(memory.jobs()).noneMatch(j -> j.status() == JobStatus.FAILED);
        assertThat(queue.deadLetters()).isEmpty();
    }

    /** A queue whose deliveries say how they were given back. */
    static final class GiveBackQueue implements JobQueue {
        final JobQueue delegate;
        final List<String> giveBacks = new java.util.concurrent.CopyOnWriteArrayList<>();

        GiveBackQueue(JobQueue delegate) {
            this.delegate = delegate;
        }

        @Override
        public void put(Job job) {
            delegate.put(job);
        }

        @Override
        public Optional<Delivery> take(Duration maxWait) throws InterruptedException {
            return delegate.take(maxWait).map(d -> new Delivery() {
                @Override
                public Job job() {
                    return d.job();
                }

                @Override
                public int deliveryCount() {
                    return d.deliveryCount();
                }

                @Override
                public java.time.Instant leaseExpiresAt() {
                    return d.leaseExpiresAt();
                }

                @Override
                public void ack() {
                    d.ack();
                }

                @Override
                public void release(Duration delay) {
                    giveBacks.add("release");
                    d.release(delay);
                }

                @Override
                public void releaseUnstarted(Duration delay) {
                    giveBacks.add("releaseUnstarted");
                    d.releaseUnstarted(delay);
                }

                @Override
                public void extend(Duration duration) {
                    d.extend(duration);
                }

                @Override
                public void deadLetter(String reason) {
                    d.deadLetter(reason);
                }
            });
        }
    }

    @Test
    @DisplayName("gives back with releaseUnstarted a delivery whose step never started, with release one whose step ran")
    void unstartedGiveBacks() {
        FlakyStore store = new FlakyStore(memory);
        GiveBackQueue giving = new GiveBackQueue(queue);
        memory.update(job("outage", "one"));
        queue.put(job("outage", "one"));
        store.down = true;
        AtomicInteger ran = new AtomicInteger();
        Workflow one = Workflow.builder("one").step("a", com.fasterxml.jackson.databind.JsonNode.class, (in, ctx) -> {
            ran.incrementAndGet();
            return "done";
        }).build();

        start(giving, store, fast().concurrency(1).build(), one);
        await().atMost(10, TimeUnit.SECONDS).until(() -> giving.giveBacks.size() >= 1);
        assertThat(giving.giveBacks).as("the start could not be recorded").containsOnly("releaseUnstarted");
        assertThat(ran).hasValue(0);
        store.down = false;
        await().atMost(20, TimeUnit.SECONDS).until(() -> status("outage") == JobStatus.COMPLETED);
    }

    @Test
    @DisplayName("never gives back with releaseUnstarted a delivery whose step ran before the store failed")
    void startedGiveBacks() {
        InMemoryJobQueue shortLeases = InMemoryJobQueue.builder().leaseTime(Duration.ofSeconds(1)).build();
        GiveBackQueue giving = new GiveBackQueue(shortLeases);
        AtomicInteger refusals = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        Workflow one = Workflow.builder("one").step("a", com.fasterxml.jackson.databind.JsonNode.class, (in, ctx) -> {
            ran.incrementAndGet();
            return "done";
        }).build();
        ForwardingStore finishFails = new ForwardingStore(memory) {
            @Override
            public void update(Job job) {
                if (job.status() == JobStatus.COMPLETED && ran.get() == 1) {
                    refusals.incrementAndGet();
                    throw new ErgateBackendException("flaky store: finish refused on the first run", null, true);
                }
                super.update(job);
            }
        };
        memory.update(job("ran", "one"));
        shortLeases.put(job("ran", "one"));
        start(giving, finishFails, fast().concurrency(1).build(), one);
        await().atMost(20, TimeUnit.SECONDS).until(() -> status("ran") == JobStatus.COMPLETED);
        assertThat(refusals).as("finishes refused").hasPositiveValue();
        assertThat(ran).as("runs").hasValue(2);
        assertThat(giving.giveBacks).as("the step ran before the store failed").doesNotContain("releaseUnstarted");
    }

    /** A store that refuses, for good, every write of one job (as PostgreSQL a value it can't hold). */
    static final class RefusingStore extends ForwardingStore {
        RefusingStore(JobStore delegate) {
            super(delegate);
        }

        @Override
        public void update(Job job) {
            if ("unstorable".equals(String.valueOf(job.id()))) {
                throw new ErgateBackendException("refusing store: invalid input syntax for type json", null, false);
            }
            super.update(job);
        }

        @Override
        public StepStart startStep(Job running) {
            update(running);
            return StepStart.STARTED;
        }
    }

    /** Passes every call on, after {@link #check()}. */
    static class ForwardingStore implements JobStore {
        private final JobStore delegate;

        ForwardingStore(JobStore delegate) {
            this.delegate = delegate;
        }

        /** Called before each call; a test store throws here. */
        void check() {
        }

        @Override
        public void update(Job job) {
            check();
            delegate.update(job);
        }

        @Override
        public StepStart startStep(Job running) {
            check();
            return delegate.startStep(running);
        }

        @Override
        public Optional<Job> find(JobId id) {
            check();
            return delegate.find(id);
        }

        @Override
        public JobPage list(JobQuery query) {
            check();
            return delegate.list(query);
        }

        @Override
        public boolean requestCancel(JobId id) {
            check();
            return delegate.requestCancel(id);
        }
    }

    @Test
    @DisplayName("dead-letters a job its store refuses, with the reason, instead of taking it for ever")
    void refusedJobDeadLettered() {
        queue.put(job("unstorable", "one"));
        Workflow one = Workflow.builder("one").step("a", com.fasterxml.jackson.databind.JsonNode.class, (in, ctx) -> "done").build();

        start(queue, new RefusingStore(memory), fast().maxDeliveries(3).build(), one);

        await().atMost(20, TimeUnit.SECONDS).until(() -> !queue.deadLetters().isEmpty());
        DeadLetter dead = queue.deadLetters().get(0);
        assertThat(dead.reason()).contains("unstorable", "refused", "invalid input syntax", "could not be written");
        await().atMost(5, TimeUnit.SECONDS).until(() -> queue.size() == 0);
    }

    @Test
    @DisplayName("gives back a job of a workflow it does not know, so a worker that knows it can run it")
    void unknownWorkflowGivenBack() {
        Workflow known = Workflow.builder("known").step("a", com.fasterxml.jackson.databind.JsonNode.class, (in, ctx) -> "known").build();
        Job later = job("rolling", "new-flow").toBuilder()
                .extraField(RuntimeFields.QUEUED_AT, LongNode.valueOf(System.currentTimeMillis())).build();
        memory.update(later);
        queue.put(later);
        start(queue, memory, fast().unknownWorkGrace(Duration.ofMinutes(5)).build(), known);
        await().atMost(10, TimeUnit.SECONDS).until(() -> queue.counts().delayed() == 1
                || status("rolling") != JobStatus.QUEUED);
        assertThat(status("rolling")).as("within the grace").isEqualTo(JobStatus.QUEUED);

        worker.registerWorkflow(Workflow.builder("new-flow").step("a", com.fasterxml.jackson.databind.JsonNode.class, (in, ctx) -> "new").build());

        await().atMost(20, TimeUnit.SECONDS).until(() -> status("rolling") == JobStatus.COMPLETED);
    }

    @Test
    @DisplayName("fails a job of an unknown workflow past the grace, naming what is registered")
    void unknownWorkflowFailsAfterGrace() {
        Workflow known = Workflow.builder("known").step("a", com.fasterxml.jackson.databind.JsonNode.class, (in, ctx) -> "known").build();
        Job old = job("too-old", "gone-flow").toBuilder()
                .extraField(RuntimeFields.QUEUED_AT, LongNode.valueOf(System.currentTimeMillis() - 600_000)).build();
        memory.update(old);
        queue.put(old);

        start(queue, memory, fast().unknownWorkGrace(Duration.ofMinutes(5)).build(), known);

        await().atMost(10, TimeUnit.SECONDS).until(() -> status("too-old") == JobStatus.FAILED);
        assertThat(memory.find(JobId.of("too-old")).orElseThrow().exceptionTraceback())
                .contains("gone-flow", "registered: [known]");
    }
}
