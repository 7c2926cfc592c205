package dev.ergate.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.runtime.Submission;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.JobTooLargeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Submits through {@link ErgateClient} over a queue and a store: {@code submit} and {@code
 * submitAll} record each job QUEUED and queue it, ids in the order given; where the queue offers
 * an {@link dev.ergate.spi.AtomicSubmit} with the store, a batch holding a job too large for the
 * backend writes nothing at all. Not thread-safe (one test of an instance at a time).
 *
 * <pre>{@code
 * class RedisSubmitContractTest extends SubmitContract {
 *     protected JobQueue newQueue() { return backend.queue(); }
 *     protected JobStore newStore() { return backend.store(); }
 *     protected boolean atomic() { return true; }
 * }
 * }</pre>
 */
@DisplayName("Submit contract")
public abstract class SubmitContract {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final List<JobQueue> opened = new ArrayList<>();

    /**
     * @return a new, empty queue, isolated from every other test's; closed after the test
     * @throws Exception if the backend can't be set up
     */
    protected abstract JobQueue newQueue() throws Exception;

    /**
     * @return the store submitted jobs are recorded in (the same backend as {@link #newQueue()}
     *     where it offers an atomic submit)
     * @throws Exception if the backend can't be set up
     */
    protected abstract JobStore newStore() throws Exception;

    /** {@return true when the queue must offer an atomic submit with the store; false by default} */
    protected boolean atomic() {
        return false;
    }

    /** {@return the largest job the queue takes, in bytes of JSON, when it has a limit} */
    protected OptionalLong maxJobBytes() {
        return OptionalLong.empty();
    }

    @AfterEach
    void closeQueues() {
        opened.forEach(JobQueue::close);
        opened.clear();
    }

    private JobQueue queue() throws Exception {
        JobQueue queue = newQueue();
        opened.add(queue);
        return queue;
    }

    @Test
    @DisplayName("the queue offers an atomic submit with the store where the backend says it does")
    void atomicWhereExpected() throws Exception {
        JobQueue queue = queue();
        assertThat(queue.atomicSubmit(newStore()).isPresent()).as("atomicSubmit of " + queue).isEqualTo(atomic());
    }

    @Test
    @DisplayName("submit records the job QUEUED and queues it")
    void submitOne() throws Exception {
        JobQueue queue = queue();
        JobStore store = newStore();
        ErgateClient client = ErgateClient.builder(queue).store(store).build();
        JobId id = client.submit("submit-contract", IntNode.valueOf(7));

        Job stored = store.find(id).orElseThrow();
        assertThat(stored.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(stored.initialInputValue()).isEqualTo(IntNode.valueOf(7));
        Delivery delivery = queue.take(WAIT).orElseThrow();
        assertThat(delivery.job().id()).isEqualTo(id);
        assertThat(delivery.job().initialInputValue()).isEqualTo(IntNode.valueOf(7));
        delivery.ack();
    }

    @Test
    @DisplayName("submitAll records every job QUEUED, queues each once and returns the ids in order")
    void submitMany() throws Exception {
        JobQueue queue = queue();
        JobStore store = newStore();
        ErgateClient client = ErgateClient.builder(queue).store(store).build();
        List<Submission> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            batch.add(client.submit("submit-contract").input(IntNode.valueOf(i)));
        }
        batch.add(client.submit("submit-contract").id(JobId.of("chosen-" + System.nanoTime())).input("own id"));
        List<JobId> ids = client.submitAll(batch);

        assertThat(ids).hasSize(31).doesNotHaveDuplicates();
        assertThat(ids.get(30).value()).startsWith("chosen-");
        for (int i = 0; i < 31; i++) {
            Job stored = store.find(ids.get(i)).orElseThrow();
            assertThat(stored.status()).isEqualTo(JobStatus.QUEUED);
            assertThat(stored.initialInputValue()).isEqualTo(i < 30 ? IntNode.valueOf(i) : TextNode.valueOf("own id"));
        }
        Set<JobId> taken = new HashSet<>();
        for (int i = 0; i < 31; i++) {
            Delivery delivery = queue.take(WAIT).orElseThrow();
            assertThat(taken.add(delivery.job().id())).as("taken twice: " + delivery.job().id()).isTrue();
            delivery.ack();
        }
        assertThat(taken).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(queue.take(Duration.ZERO)).isEmpty();
        assertThat(client.submitAll(List.of())).isEmpty();
    }

    @Test
    @DisplayName("a job of a batch with a start time is not delivered before it")
    void submitManyDelayed() throws Exception {
        JobQueue queue = queue();
        ErgateClient client = ErgateClient.builder(queue).store(newStore()).build();
        List<JobId> ids = client.submitAll(List.of(
                client.submit("submit-contract").startAt(Instant.now().plus(Duration.ofHours(1))),
                client.submit("submit-contract").input(1)));
        Delivery delivery = queue.take(WAIT).orElseThrow();
        assertThat(delivery.job().id()).isEqualTo(ids.get(1));
        delivery.ack();
        assertThat(queue.take(Duration.ofMillis(200))).isEmpty();
    }

    @Test
    @DisplayName("with an atomic submit, a batch holding a job too large writes nothing")
    void tooLargeBatchWritesNothing() throws Exception {
        long limit = maxJobBytes().orElse(-1);
        assumeTrue(atomic() && limit > 0, "needs an atomic submit and a size limit");
        JobQueue queue = queue();
        JobStore store = newStore();
        ErgateClient client = ErgateClient.builder(queue).store(store).build();
        // new random ids: a caller's id is checked against the store first, job by job
        List<Submission> batch = List.of(client.submit("submit-contract").input(1),
                client.submit("submit-contract").input("x".repeat((int) limit + 1)));

        assertThatThrownBy(() -> client.submitAll(batch)).isInstanceOf(JobTooLargeException.class);
        assertThat(queue.take(Duration.ofMillis(200))).isEmpty();
    }
}
