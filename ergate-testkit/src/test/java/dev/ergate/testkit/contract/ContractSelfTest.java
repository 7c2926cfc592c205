package dev.ergate.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectNestedMethod;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.JobPage;
import dev.ergate.spi.JobQuery;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.QueueCounts;
import dev.ergate.spi.QueueStats;
import dev.ergate.spi.StaleStateException;
import dev.ergate.spi.StepStart;
import dev.ergate.spi.WriteFence;
import dev.ergate.testkit.InMemoryJobQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * Tests the suites themselves: each deliberately broken backend below must make the contract
 * test that guards the broken behaviour fail (with an assertion, not a crash), so a suite that
 * passes everything can't go unnoticed.
 */
@DisplayName("The contract suites")
class ContractSelfTest {

    private static Events run(Class<?> subclass, Class<?> nested, String method) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectNestedMethod(List.of(subclass), nested, method))
                .execute()
                .testEvents();
    }

    private static void assertFailsWithAssertion(Class<?> subclass, Class<?> nested, String method) {
        Events events = run(subclass, nested, method);
        assertThat(events.started().count()).as("%s.%s started", nested.getSimpleName(), method).isEqualTo(1);
        events.assertThatEvents().as("%s.%s against %s", nested.getSimpleName(), method, subclass.getSimpleName())
                .haveExactly(1, finishedWithFailure(instanceOf(AssertionError.class)));
    }

    static Stream<Arguments> brokenQueues() {
        return Stream.of(
                Arguments.of("delivers delayed jobs at once", IgnoresDelay.class,
                        JobQueueContract.Delayed.class, "notEarlyThenDelivered"),
                Arguments.of("drops unknown fields", DropsExtraFields.class,
                        JobQueueContract.RoundTrip.class, "extraFields"),
                Arguments.of("drops unknown fields", DropsExtraFields.class,
                        JobQueueContract.RoundTrip.class, "everyField"),
                Arguments.of("leaves a leased job visible", NoLease.class,
                        JobQueueContract.Leases.class, "invisibleWhileLeased"),
                Arguments.of("leaves a leased job visible", NoLease.class,
                        JobQueueContract.Concurrency.class, "everyJobOnce"),
                Arguments.of("loses a job whose worker died", AcksOnTake.class,
                        JobQueueContract.Leases.class, "expiredLeaseRedelivers"),
                Arguments.of("ignores ack", IgnoresAck.class,
                        JobQueueContract.Leases.class, "ackRemoves"),
                Arguments.of("ignores extend", IgnoresExtend.class,
                        JobQueueContract.Leases.class, "extend"),
                Arguments.of("returns from take at once", ReturnsAtOnce.class,
                        JobQueueContract.Take.class, "emptyAfterMaxWait"),
                Arguments.of("returns from take at once", ReturnsAtOnce.class,
                        JobQueueContract.Take.class, "wakesForNewJob"),
                Arguments.of("accepts extend(zero)", AcceptsExtendZero.class,
                        JobQueueContract.DeliveryCalls.class, "extendZero"),
                Arguments.of("throws on a stale ack", ThrowsOnStaleAck.class,
                        JobQueueContract.DeliveryCalls.class, "callsAfterLostLease"),
                Arguments.of("extends an ended delivery silently", ExtendsAfterEnd.class,
                        JobQueueContract.DeliveryCalls.class, "callsAfterEnd"),
                Arguments.of("does not count leased jobs", CountsNothingInFlight.class,
                        JobQueueContract.Counts.class, "countsMove"));
    }

    @ParameterizedTest(name = "catches a queue that {0} ({3})")
    @MethodSource("brokenQueues")
    @DisplayName("queue suite")
    void queueSuiteCatches(String flaw, Class<?> subclass, Class<?> nested, String method) {
        assertFailsWithAssertion(subclass, nested, method);
    }

    static Stream<Arguments> brokenStores() {
        return Stream.of(
                Arguments.of("drops unknown fields", StoreDropsExtraFields.class,
                        JobStoreContract.FindAfterUpdate.class, "everyField"),
                Arguments.of("merges an update into the old state", StoreMergesUpdates.class,
                        JobStoreContract.Updates.class, "lastWriterWins"),
                Arguments.of("lets an update overwrite CANCELLING", StoreLosesCancel.class,
                        JobStoreContract.Cancellation.class, "keptByNonFinalUpdate"),
                Arguments.of("starts a step over a finished job", StoreStartsOverFinal.class,
                        JobStoreContract.StartingAStep.class, "finalStateKept"),
                Arguments.of("cancels finished jobs", StoreCancelsFinal.class,
                        JobStoreContract.Cancellation.class, "finalJob"),
                Arguments.of("pages by offset in last-updated order", StoreUnstablePages.class,
                        JobStoreContract.Listing.class, "stableWhileWriting"),
                Arguments.of("ignores the status filter", StoreIgnoresStatus.class,
                        JobStoreContract.Listing.class, "byStatus"),
                Arguments.of("writes a state older than the stored one", StoreWithoutFence.class,
                        JobStoreContract.FencedUpdates.class, "older"),
                Arguments.of("writes a stale state over a final one", StoreWithoutFence.class,
                        JobStoreContract.FencedUpdates.class, "notFinalOverFinal"),
                Arguments.of("leaves a cancelled waiting job CANCELLING", StoreLeavesWaitingJobCancelling.class,
                        JobStoreContract.CancelWaiting.class, "waiting"));
    }

    @ParameterizedTest(name = "catches a store that {0} ({3})")
    @MethodSource("brokenStores")
    @DisplayName("store suite")
    void storeSuiteCatches(String flaw, Class<?> subclass, Class<?> nested, String method) {
        assertFailsWithAssertion(subclass, nested, method);
    }

    static Stream<Arguments> brokenEndToEnd() {
        return Stream.of(
                Arguments.of("loses some jobs it is given", EndToEndLosingQueue.class,
                        EndToEndContract.ManyJobs.class, "everyJobCompletes"),
                Arguments.of("lets a step's update overwrite a cancel request", EndToEndLosingCancel.class,
                        EndToEndContract.Cancel.class, "stopsBeforeNextStep"));
    }

    @ParameterizedTest(name = "catches a backend that {0} ({3})")
    @MethodSource("brokenEndToEnd")
    @DisplayName("end-to-end suite")
    void endToEndSuiteCatches(String flaw, Class<?> subclass, Class<?> nested, String method) {
        assertFailsWithAssertion(subclass, nested, method);
    }

    @Test
    @DisplayName("store suite passes the simple reference store the broken ones derive from")
    void referenceStorePasses() {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(ReferenceStore.class))
                .execute().testEvents();
        assertThat(events.started().count()).isGreaterThan(15);
        assertThat(events.failed().count()).as("failures").isZero();
        assertThat(events.skipped().count()).as("skipped").isZero();
    }

    // ---------------------------------------------------------------- broken queues

    /** Delegates to an in-memory queue; subclasses break one thing. */
    abstract static class BrokenQueue extends JobQueueContract {
        @Override
        protected JobQueue newQueue(Duration leaseTime) {
            InMemoryJobQueue real = InMemoryJobQueue.builder().leaseTime(leaseTime).build();
            return new JobQueue() {
                @Override
                public void put(Job job) {
                    real.put(onPut(job));
                }

                @Override
                public Optional<Delivery> take(Duration maxWait) throws InterruptedException {
                    return onTake(real, maxWait);
                }

                @Override
                public void close() {
                    real.close();
                }
            };
        }

        Job onPut(Job job) {
            return job;
        }

        Optional<Delivery> onTake(InMemoryJobQueue real, Duration maxWait) throws InterruptedException {
            return real.take(maxWait).map(this::onDelivery);
        }

        Delivery onDelivery(Delivery delivery) {
            return delivery;
        }
    }

    /** A delivery that forwards everything. */
    static class ForwardingDelivery implements Delivery {
        final Delivery real;

        ForwardingDelivery(Delivery real) {
            this.real = real;
        }

        @Override
        public Job job() {
            return real.job();
        }

        @Override
        public int deliveryCount() {
            return real.deliveryCount();
        }

        @Override
        public Instant leaseExpiresAt() {
            return real.leaseExpiresAt();
        }

        @Override
        public void ack() {
            real.ack();
        }

        @Override
        public void release(Duration delay) {
            real.release(delay);
        }

        @Override
        public void extend(Duration duration) {
            real.extend(duration);
        }

        @Override
        public void deadLetter(String reason) {
            real.deadLetter(reason);
        }
    }

    static class AcceptsExtendZero extends BrokenQueue {
        @Override
        Delivery onDelivery(Delivery delivery) {
            return new ForwardingDelivery(delivery) {
                @Override
                public void extend(Duration duration) {
                    if (!duration.isZero()) {
                        real.extend(duration);
                    }
                }
            };
        }
    }

    static class ThrowsOnStaleAck extends BrokenQueue {
        @Override
        Delivery onDelivery(Delivery delivery) {
            return new ForwardingDelivery(delivery) {
                @Override
                public void ack() {
                    if (real.leaseExpiresAt().isBefore(Instant.now())) {
                        throw new IllegalStateException("stale ack");
                    }
                    real.ack();
                }
            };
        }
    }

    static class ExtendsAfterEnd extends BrokenQueue {
        @Override
        Delivery onDelivery(Delivery delivery) {
            return new ForwardingDelivery(delivery) {
                private boolean ended;

                @Override
                public void ack() {
                    ended = true;
                    real.ack();
                }

                @Override
                public void extend(Duration duration) {
                    if (!ended) {
                        real.extend(duration);
                    }
                }
            };
        }
    }

    /** Counts with the in-memory queue's numbers, but never anything in flight. */
    static class CountsNothingInFlight extends JobQueueContract {
        @Override
        protected JobQueue newQueue(Duration leaseTime) {
            InMemoryJobQueue real = InMemoryJobQueue.builder().leaseTime(leaseTime).build();
            return new CountingQueue(real);
        }

        private record CountingQueue(InMemoryJobQueue real) implements JobQueue, QueueStats {
            @Override
            public void put(Job job) {
                real.put(job);
            }

            @Override
            public Optional<Delivery> take(Duration maxWait) throws InterruptedException {
                return real.take(maxWait);
            }

            @Override
            public QueueCounts counts() {
                QueueCounts counts = real.counts();
                return new QueueCounts(counts.ready(), counts.delayed(), 0, counts.deadLetters(), false);
            }

            @Override
            public void close() {
                real.close();
            }
        }
    }

    static class IgnoresDelay extends BrokenQueue {
        @Override
        Job onPut(Job job) {
            return job.toBuilder().requestedStartTime(null).build();
        }
    }

    static class DropsExtraFields extends BrokenQueue {
        @Override
        Job onPut(Job job) {
            Job.Builder builder = job.toBuilder();
            job.extraFields().keySet().forEach(name -> builder.extraField(name, null));
            return builder.build();
        }
    }

    static class NoLease extends BrokenQueue {
        @Override
        Delivery onDelivery(Delivery delivery) {
            delivery.release(Duration.ZERO);
            return new ForwardingDelivery(delivery);
        }
    }

    static class AcksOnTake extends BrokenQueue {
        @Override
        Delivery onDelivery(Delivery delivery) {
            delivery.ack();
            return delivery;
        }
    }

    static class IgnoresAck extends BrokenQueue {
        @Override
        Delivery onDelivery(Delivery delivery) {
            return new ForwardingDelivery(delivery) {
                @Override
                public void ack() {
                }
            };
        }
    }

    static class IgnoresExtend extends BrokenQueue {
        @Override
        Delivery onDelivery(Delivery delivery) {
            return new ForwardingDelivery(delivery) {
                @Override
                public void extend(Duration duration) {
                }
            };
        }
    }

    static class ReturnsAtOnce extends BrokenQueue {
        @Override
        Optional<Delivery> onTake(InMemoryJobQueue real, Duration maxWait) throws InterruptedException {
            return real.take(Duration.ZERO);
        }
    }

    // ---------------------------------------------------------------- broken end-to-end backends

    /** Drops every 50th put, as a queue that loses messages would. */
    static class EndToEndLosingQueue extends EndToEndContract {
        @Override
        protected JobQueue newQueue(Duration leaseTime) {
            InMemoryJobQueue real = InMemoryJobQueue.builder().leaseTime(leaseTime).build();
            java.util.concurrent.atomic.AtomicInteger puts = new java.util.concurrent.atomic.AtomicInteger();
            return new JobQueue() {
                @Override
                public void put(Job job) {
                    if (puts.incrementAndGet() % 50 != 0) {
                        real.put(job);
                    }
                }

                @Override
                public Optional<Delivery> take(Duration maxWait) throws InterruptedException {
                    return real.take(maxWait);
                }

                @Override
                public void close() {
                    real.close();
                }
            };
        }

        @Override
        protected dev.ergate.spi.StateStore newStore() {
            return dev.ergate.testkit.InMemoryJobStore.create();
        }

        @Override
        protected Duration timeout() {
            return Duration.ofSeconds(10);
        }
    }

    static class EndToEndLosingCancel extends EndToEndContract {
        @Override
        protected JobQueue newQueue(Duration leaseTime) {
            return InMemoryJobQueue.builder().leaseTime(leaseTime).build();
        }

        @Override
        protected dev.ergate.spi.StateStore newStore() {
            return new SimpleStore() {
                @Override
                Job stored(Job incoming, Job old) {
                    return incoming;
                }
            };
        }

        @Override
        protected Duration timeout() {
            return Duration.ofSeconds(20);
        }
    }

    // ---------------------------------------------------------------- stores

    /** A plain, correct store with hooks to break it; pages by position after the cursor. */
    static class SimpleStore implements JobStore {
        final Map<JobId, Job> jobs = new LinkedHashMap<>();

        Job stored(Job incoming, Job old) {
            if (old != null && old.status() == JobStatus.CANCELLING && !incoming.status().isFinal()) {
                return incoming.toBuilder().status(JobStatus.CANCELLING).build();
            }
            return incoming;
        }

        @Override
        public synchronized void update(Job job) {
            Job old = jobs.get(job.id());
            if (old != null && WriteFence.refuses(old, job)) {
                throw new StaleStateException(WriteFence.describe(old, job), null);
            }
            jobs.put(job.id(), stored(job, old));
        }

        @Override
        public synchronized void replace(Job job) {
            jobs.put(job.id(), job);
        }

        @Override
        public synchronized boolean insert(Job job) {
            return JobStore.super.insert(job);
        }

        @Override
        public synchronized Optional<Job> find(JobId id) {
            return Optional.ofNullable(jobs.get(id));
        }

        boolean matches(Job job, JobQuery query) {
            return (query.status() == null || job.status() == query.status())
                    && (query.workflowName() == null || job.workflowName().equals(query.workflowName()));
        }

        @Override
        public synchronized JobPage list(JobQuery query) {
            List<Job> all = new ArrayList<>(jobs.values());
            int from = query.cursor() == null ? 0 : Integer.parseInt(query.cursor());
            List<Job> page = new ArrayList<>();
            int position = from;
            while (position < all.size() && page.size() < query.pageSize()) {
                Job job = all.get(position++);
                if (matches(job, query)) {
                    page.add(job);
                }
            }
            boolean more = all.subList(position, all.size()).stream().anyMatch(job -> matches(job, query));
            return new JobPage(page, more ? Integer.toString(position) : null);
        }

        /** The interface's find + update, made atomic by the store's lock. */
        @Override
        public synchronized StepStart startStep(Job running) {
            return JobStore.super.startStep(running);
        }

        @Override
        public synchronized boolean requestCancel(JobId id) {
            Job job = jobs.get(id);
            if (job == null || job.status().isFinal()) {
                return false;
            }
            boolean waiting = job.status() == JobStatus.SCHEDULED || job.status() == JobStatus.PENDING;
            jobs.put(id, job.toBuilder().status(waiting ? JobStatus.CANCELLED : JobStatus.CANCELLING).build());
            return true;
        }
    }

    static class ReferenceStore extends JobStoreContract {
        @Override
        protected JobStore newStore() {
            return new SimpleStore();
        }
    }

    static class StoreDropsExtraFields extends JobStoreContract {
        @Override
        protected JobStore newStore() {
            return new SimpleStore() {
                @Override
                Job stored(Job incoming, Job old) {
                    Job.Builder builder = incoming.toBuilder();
                    incoming.extraFields().keySet().forEach(name -> builder.extraField(name, null));
                    return super.stored(builder.build(), old);
                }
            };
        }
    }

    static class StoreMergesUpdates extends JobStoreContract {
        @Override
        protected JobStore newStore() {
            return new SimpleStore() {
                @Override
                Job stored(Job incoming, Job old) {
                    if (old != null && incoming.exceptionTraceback() == null) {
                        incoming = incoming.toBuilder().exceptionTraceback(old.exceptionTraceback()).build();
                    }
                    return super.stored(incoming, old);
                }
            };
        }
    }

    static class StoreLosesCancel extends JobStoreContract {
        @Override
        protected JobStore newStore() {
            return new SimpleStore() {
                @Override
                Job stored(Job incoming, Job old) {
                    return incoming;
                }
            };
        }
    }

    static class StoreStartsOverFinal extends JobStoreContract {
        @Override
        protected JobStore newStore() {
            return new SimpleStore() {
                @Override
                public synchronized StepStart startStep(Job running) {
                    jobs.put(running.id(), running);
                    return StepStart.STARTED;
                }
            };
        }
    }

    static class StoreCancelsFinal extends JobStoreContract {
        @Override
        protected JobStore newStore() {
            return new SimpleStore() {
                @Override
                public synchronized boolean requestCancel(JobId id) {
                    Job job = jobs.get(id);
                    if (job == null) {
                        return false;
                    }
                    jobs.put(id, job.toBuilder().status(JobStatus.CANCELLING).build());
                    return true;
                }
            };
        }
    }

    static class StoreUnstablePages extends JobStoreContract {
        @Override
        protected JobStore newStore() {
            return new SimpleStore() {
                @Override
                public synchronized void update(Job job) {
                    Job old = jobs.remove(job.id());
                    jobs.put(job.id(), stored(job, old));
                }
            };
        }
    }

    static class StoreWithoutFence extends JobStoreContract {
        @Override
        protected JobStore newStore() {
            return new SimpleStore() {
                @Override
                public synchronized void update(Job job) {
                    jobs.put(job.id(), stored(job, jobs.get(job.id())));
                }
            };
        }
    }

    static class StoreLeavesWaitingJobCancelling extends JobStoreContract {
        @Override
        protected JobStore newStore() {
            return new SimpleStore() {
                @Override
                public synchronized boolean requestCancel(JobId id) {
                    Job job = jobs.get(id);
                    if (job == null || job.status().isFinal()) {
                        return false;
                    }
                    jobs.put(id, job.toBuilder().status(JobStatus.CANCELLING).build());
                    return true;
                }
            };
        }
    }

    static class StoreIgnoresStatus extends JobStoreContract {
        @Override
        protected JobStore newStore() {
            return new SimpleStore() {
                @Override
                boolean matches(Job job, JobQuery query) {
                    return query.workflowName() == null || job.workflowName().equals(query.workflowName());
                }
            };
        }
    }
}
