package dev.ergate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.AtomicStepFinish;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.ErgateBackendException;
import dev.ergate.spi.JobTooLargeException;
import dev.ergate.spi.QueueCounts;
import dev.ergate.spi.StaleStateException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the atomic step finish of a Redis queue and store")
class RedisStepFinishTest {

    private static RedisFixture fixture;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("finish");
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static Job first() {
        return Job.builder().id("j").workflowName("wf").stepName("one").build();
    }

    @Test
    @DisplayName("writes the state, puts the next step and acks, in one go")
    void finishWithNext() throws Exception {
        RedisBackend backend = fixture.backend();
        RedisJobQueue queue = backend.queue();
        RedisJobStore store = backend.store();
        AtomicStepFinish finish = queue.atomicStepFinish(store).orElseThrow();
        queue.put(first());
        Delivery delivery = queue.take(Duration.ofSeconds(5)).orElseThrow();

        Job state = first().toBuilder().status(JobStatus.QUEUED).stepName("two").stepsCompleted(1)
                .lastReturnValue(IntNode.valueOf(5)).build();
        finish.finish(delivery, state, state);

        assertThat(store.find(JobId.of("j"))).contains(state);
        Delivery next = queue.take(Duration.ofSeconds(5)).orElseThrow();
        assertThat(next.job()).isEqualTo(state);
        assertThat(next.deliveryCount()).isEqualTo(1);
        assertThat(queue.counts()).isEqualTo(new QueueCounts(0, 0, 1, 0, false));
    }

    @Test
    @DisplayName("a final state writes and acks without a next step; a delayed next step waits")
    void finishFinalAndDelayed() throws Exception {
        RedisBackend backend = fixture.backend();
        RedisJobQueue queue = backend.queue();
        RedisJobStore store = backend.store();
        AtomicStepFinish finish = queue.atomicStepFinish(store).orElseThrow();
        queue.put(first());
        queue.put(Job.builder().id("k").workflowName("wf").build());

        Delivery one = queue.take(Duration.ofSeconds(5)).orElseThrow();
        Job done = first().toBuilder().status(JobStatus.COMPLETED).percentCompleted(100).build();
        finish.finish(one, done, null);
        assertThat(store.find(JobId.of("j"))).contains(done);

        Delivery two = queue.take(Duration.ofSeconds(5)).orElseThrow();
        Job retry = two.job().toBuilder().requestedStartTime(Instant.now().plusSeconds(60)).build();
        finish.finish(two, retry, retry);
        assertThat(queue.counts()).isEqualTo(new QueueCounts(0, 1, 0, 0, false));
    }

    @Test
    @DisplayName("a stale delivery (an earlier step than stored) writes nothing, puts nothing, and is dropped")
    void staleFinishRefused() throws Exception {
        RedisBackend backend = fixture.backend();
        RedisJobQueue queue = backend.queue();
        RedisJobStore store = backend.store();
        AtomicStepFinish finish = queue.atomicStepFinish(store).orElseThrow();
        Job later = first().toBuilder().status(JobStatus.RUNNING).stepName("three").stepsCompleted(2).build();
        store.update(later);
        queue.put(first()); // a duplicate message of step one: a forked chain

        Delivery stale = queue.take(Duration.ofSeconds(5)).orElseThrow();
        Job stepTwo = first().toBuilder().status(JobStatus.QUEUED).stepName("two").stepsCompleted(1).build();
        assertThatThrownBy(() -> finish.finish(stale, stepTwo, stepTwo)).isInstanceOf(StaleStateException.class)
                .hasMessageContaining("job j");

        assertThat(store.find(JobId.of("j"))).contains(later);
        assertThat(queue.counts()).isEqualTo(new QueueCounts(0, 0, 0, 0, false));
    }

    @Test
    @DisplayName("a stale final state never replaces another final state")
    void finalOverOtherFinalRefused() throws Exception {
        RedisBackend backend = fixture.backend();
        RedisJobQueue queue = backend.queue();
        RedisJobStore store = backend.store();
        AtomicStepFinish finish = queue.atomicStepFinish(store).orElseThrow();
        Job completed = first().toBuilder().status(JobStatus.COMPLETED).stepsCompleted(1).build();
        store.update(completed);
        queue.put(first());

        Delivery stale = queue.take(Duration.ofSeconds(5)).orElseThrow();
        Job failed = first().toBuilder().status(JobStatus.FAILED).stepsCompleted(1).build();
        assertThatThrownBy(() -> finish.finish(stale, failed, null)).isInstanceOf(StaleStateException.class);
        assertThat(store.find(JobId.of("j"))).contains(completed);
    }

    @Test
    @DisplayName("with a lost lease nothing is written, nothing is put, and the new holder's lease stays")
    void lostLease() throws Exception {
        RedisBackend backend = fixture.backend();
        RedisJobQueue queue = backend.queue(RedisQueueOptions.builder().leaseTime(Duration.ofMillis(300)).build());
        RedisJobStore store = backend.store();
        AtomicStepFinish finish = queue.atomicStepFinish(store).orElseThrow();
        queue.put(first());
        Delivery stale = queue.take(Duration.ofSeconds(5)).orElseThrow();
        Delivery current = queue.take(Duration.ofSeconds(10)).orElseThrow();
        assertThat(current.deliveryCount()).isEqualTo(2);

        Job state = first().toBuilder().stepsCompleted(1).build();
        assertThatThrownBy(() -> finish.finish(stale, state, state))
                .isInstanceOf(ErgateBackendException.class)
                .hasMessageContaining("lease was lost")
                .satisfies(e -> assertThat(((ErgateBackendException) e).isTransient()).isFalse());

        assertThat(store.find(JobId.of("j"))).isEmpty();
        assertThat(queue.counts()).isEqualTo(new QueueCounts(0, 0, 1, 0, false));
        current.ack();
        assertThat(queue.counts().total()).isZero();
    }

    @Test
    @DisplayName("a next step that is too large is refused before anything changes")
    void tooLargeNext() throws Exception {
        RedisBackend backend = fixture.backend();
        RedisJobQueue queue = backend.queue(RedisQueueOptions.builder().maxJobBytes(400).build());
        RedisJobStore store = backend.store();
        queue.put(first());
        Delivery delivery = queue.take(Duration.ofSeconds(5)).orElseThrow();
        Job big = first().toBuilder().lastReturnValue(com.fasterxml.jackson.databind.node.TextNode.valueOf(
                "x".repeat(600))).build();
        assertThatThrownBy(() -> queue.atomicStepFinish(store).orElseThrow().finish(delivery, big, big))
                .isInstanceOf(JobTooLargeException.class);
        assertThat(store.find(JobId.of("j"))).isEmpty();
        assertThat(queue.counts().inFlight()).isEqualTo(1);
    }

    @Test
    @DisplayName("claims the next ready job for the finishing worker: its next take needs no script")
    void claimsOnFinish() throws Exception {
        RedisBackend backend = fixture.backend();
        RedisJobQueue queue = backend.queue();
        AtomicStepFinish finish = queue.atomicStepFinish(backend.store()).orElseThrow();
        queue.put(first());
        Delivery delivery = queue.take(Duration.ofSeconds(5)).orElseThrow();
        Job state = first().toBuilder().status(JobStatus.QUEUED).stepsCompleted(1).build();

        finish.finish(delivery, state, state);

        // already leased by the finish script, before any take
        assertThat(queue.counts()).isEqualTo(new QueueCounts(0, 0, 1, 0, false));
        Delivery next = queue.take(Duration.ZERO).orElseThrow();
        assertThat(next.job()).isEqualTo(state);
        assertThat(next.deliveryCount()).isEqualTo(1);
        assertThat(next.leaseExpiresAt()).isAfter(Instant.now());
        next.ack();
        assertThat(queue.counts().total()).isZero();
    }

    @Test
    @DisplayName("claims on finish in queue order: the oldest ready job first, the new step behind it")
    void claimsOldestFirst() throws Exception {
        RedisBackend backend = fixture.backend();
        RedisJobQueue queue = backend.queue();
        AtomicStepFinish finish = queue.atomicStepFinish(backend.store()).orElseThrow();
        queue.put(first());
        queue.put(Job.builder().id("k").workflowName("wf").build());
        Delivery delivery = queue.take(Duration.ofSeconds(5)).orElseThrow();
        Job state = first().toBuilder().stepsCompleted(1).build();

        finish.finish(delivery, state, state);

        assertThat(queue.counts()).isEqualTo(new QueueCounts(1, 0, 1, 0, false));
        // the step left ready has its wake-up entry, so a blocked taker would get it
        String signal = new RedisKeys(backend.options().namespace(), queue.options().name()).signal();
        assertThat(fixture.raw().llen(signal)).isEqualTo(1);
        assertThat(queue.take(Duration.ZERO).orElseThrow().job().id()).isEqualTo(JobId.of("k"));
        assertThat(queue.take(Duration.ZERO).orElseThrow().job()).isEqualTo(state);
    }

    @Test
    @DisplayName("a job claimed on finish and not taken is released by close(), ready for another taker")
    void closeReleasesClaimed() throws Exception {
        RedisBackend backend = fixture.backend();
        RedisJobQueue queue = backend.queue();
        Job state = finishClaimingNext(backend, queue);

        queue.close();

        assertThat(queue.counts()).isEqualTo(new QueueCounts(1, 0, 0, 0, false));
        Delivery elsewhere = backend.queue().take(Duration.ZERO).orElseThrow();
        assertThat(elsewhere.job()).isEqualTo(state);
    }

    @Test
    @DisplayName("releaseHeld (a worker stopping) gives back a job claimed on finish, and the queue goes on")
    void releaseHeldGivesBackClaimed() throws Exception {
        RedisBackend backend = fixture.backend();
        RedisJobQueue queue = backend.queue();
        Job state = finishClaimingNext(backend, queue);

        queue.releaseHeld();

        assertThat(queue.counts()).isEqualTo(new QueueCounts(1, 0, 0, 0, false));
        Delivery again = queue.take(Duration.ZERO).orElseThrow();
        assertThat(again.job()).isEqualTo(state);
        again.ack();
        assertThat(queue.counts()).isEqualTo(new QueueCounts(0, 0, 0, 0, false));
    }

    @Test
    @DisplayName("closing the backend also releases a job claimed on finish and not taken")
    void backendCloseReleasesClaimed() throws Exception {
        RedisBackend backend = fixture.backend();
        RedisJobQueue queue = backend.queue();
        Job state = finishClaimingNext(backend, queue);

        backend.close();

        RedisKeys keys = new RedisKeys(backend.options().namespace(), queue.options().name());
        assertThat(fixture.raw().llen(keys.ready())).isEqualTo(1);
        assertThat(fixture.raw().zcard(keys.leased())).isZero();
    }

    @Test
    @DisplayName("with claimOnFinish off the next step waits on the ready list for any taker")
    void noClaimOnFinish() throws Exception {
        RedisBackend backend = fixture.backend();
        RedisJobQueue queue = backend.queue(RedisQueueOptions.builder().claimOnFinish(false).build());
        AtomicStepFinish finish = queue.atomicStepFinish(backend.store()).orElseThrow();
        queue.put(first());
        Delivery delivery = queue.take(Duration.ofSeconds(5)).orElseThrow();
        Job state = first().toBuilder().stepsCompleted(1).build();

        finish.finish(delivery, state, state);

        assertThat(queue.counts()).isEqualTo(new QueueCounts(1, 0, 0, 0, false));
        assertThat(queue.take(Duration.ZERO).orElseThrow().job()).isEqualTo(state);
    }

    @Test
    @DisplayName("a next step that is another job than the state is queued as given")
    void nextDiffersFromState() throws Exception {
        RedisBackend backend = fixture.backend();
        RedisJobQueue queue = backend.queue(RedisQueueOptions.builder().claimOnFinish(false).build());
        RedisJobStore store = backend.store();
        AtomicStepFinish finish = queue.atomicStepFinish(store).orElseThrow();
        queue.put(first());
        Delivery delivery = queue.take(Duration.ofSeconds(5)).orElseThrow();
        Job state = first().toBuilder().stepsCompleted(1).build();
        Job next = state.toBuilder().lastReturnValue(IntNode.valueOf(9)).build();

        finish.finish(delivery, state, next);

        assertThat(store.find(JobId.of("j"))).contains(state);
        assertThat(queue.take(Duration.ZERO).orElseThrow().job()).isEqualTo(next);
    }

    @Test
    @DisplayName("is offered only with a RedisJobStore of the same backend")
    void onlyWithOwnStore() {
        RedisBackend backend = fixture.backend();
        RedisBackend other = fixture.backend();
        RedisJobQueue queue = backend.queue();
        assertThat(queue.atomicStepFinish(backend.store())).isPresent();
        assertThat(queue.atomicStepFinish(other.store())).isEmpty();
        assertThat(queue.atomicStepFinish(job -> { })).isEmpty();
    }

    /**
     * Runs a first step and its atomic finish, which (claimOnFinish being on) leases the queued
     * next step for this queue's next take.
     *
     * @return the state the finish wrote and queued
     */
    private Job finishClaimingNext(RedisBackend backend, RedisJobQueue queue) throws InterruptedException {
        AtomicStepFinish finish = queue.atomicStepFinish(backend.store()).orElseThrow();
        queue.put(first());
        Delivery delivery = queue.take(Duration.ofSeconds(5)).orElseThrow();
        Job state = first().toBuilder().stepsCompleted(1).build();
        finish.finish(delivery, state, state);
        return state;
    }
}
