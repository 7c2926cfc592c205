package dev.ergate.testkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.spi.JobTooLargeException;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.InMemoryJobStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ErgateClient")
class ErgateClientTest {

    record Order(int id, List<String> items) {
    }

    private final InMemoryJobQueue queue = InMemoryJobQueue.create();
    private final InMemoryJobStore store = InMemoryJobStore.create();
    private final ErgateClient client = ErgateClient.builder(queue).store(store).build();

    @Test
    @DisplayName("submits a Java value as the job's JSON input, with an id, and records it QUEUED first")
    void submitsValues() {
        Instant start = Instant.parse("2030-01-01T00:00:00Z");

        JobId id = client.submit("orders", new Order(42, List.of("book")), Map.of("user", "alice"), start);

        Job queued = queue.jobs().get(0);
        assertThat(queued.id()).isEqualTo(id);
        assertThat(queued.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(queued.initialInputValue().toString()).isEqualTo("{\"id\":42,\"items\":[\"book\"]}");
        assertThat(queued.userContext().get("user").asText()).isEqualTo("alice");
        assertThat(queued.requestedStartTime()).isEqualTo(start);
        assertThat(client.find(id)).contains(queued);
    }

    @Test
    @DisplayName("keeps an id the job already has, and cancels through the store")
    void keepsIdAndCancels() {
        JobId id = client.submit(Job.builder().id("order-7").workflowName("orders").build());

        assertThat(id).isEqualTo(JobId.of("order-7"));
        assertThat(client.cancel(id)).isTrue();
        assertThat(client.find(id)).hasValueSatisfying(job -> assertThat(job.status()).isEqualTo(JobStatus.CANCELLING));
    }

    @Test
    @DisplayName("marks the recorded state FAILED when the queue refuses the job, and rethrows")
    void refusedPut() {
        InMemoryJobQueue tiny = InMemoryJobQueue.builder().maxJobBytes(50).build();
        ErgateClient small = ErgateClient.builder(tiny).store(store).build();
        Job big = Job.builder().id("big").workflowName("orders").build();

        assertThatThrownBy(() -> small.submit(big.toBuilder()
                .initialInputValue(com.fasterxml.jackson.databind.node.TextNode.valueOf("x".repeat(100))).build()))
                .isInstanceOf(JobTooLargeException.class);
        assertThat(store.find(JobId.of("big"))).hasValueSatisfying(job -> {
            assertThat(job.status()).isEqualTo(JobStatus.FAILED);
            assertThat(job.exceptionTraceback()).contains("could not be queued");
        });
    }

    @Test
    @DisplayName("refuses to submit over a stored job of the same id unless asked to replace it")
    void existingId() {
        Job done = Job.builder().id("order-8").workflowName("orders").status(JobStatus.COMPLETED)
                .lastReturnValue(com.fasterxml.jackson.databind.node.TextNode.valueOf("shipped")).build();
        store.update(done);

        assertThatThrownBy(() -> client.submit("orders").id(JobId.of("order-8")).submit())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("order-8").hasMessageContaining("COMPLETED").hasMessageContaining("replace()");
        assertThat(client.find(JobId.of("order-8"))).contains(done);
        assertThat(queue.size()).isZero();

        client.submit("orders").id(JobId.of("order-8")).replace().submit();

        assertThat(client.find(JobId.of("order-8"))).hasValueSatisfying(
                job -> assertThat(job.status()).isEqualTo(JobStatus.QUEUED));
        assertThat(queue.size()).isEqualTo(1);
    }

    @Test
    @DisplayName("keeps the QUEUED state of a job whose put timed out (it may have landed), and rethrows")
    void putMayHaveLanded() {
        dev.ergate.spi.JobQueue timingOut = new dev.ergate.spi.JobQueue() {
            @Override
            public void put(Job job) {
                queue.put(job);    // the put lands, but its answer is lost
                throw new dev.ergate.spi.ErgateBackendException("test queue: read timed out", null, true);
            }

            @Override
            public java.util.Optional<dev.ergate.spi.Delivery> take(java.time.Duration maxWait) throws InterruptedException {
                return queue.take(maxWait);
            }
        };
        ErgateClient timing = ErgateClient.builder(timingOut).store(store).build();

        assertThatThrownBy(() -> timing.submit(Job.builder().id("maybe").workflowName("orders").build()))
                .isInstanceOf(dev.ergate.spi.ErgateBackendException.class);

        assertThat(store.find(JobId.of("maybe"))).hasValueSatisfying(
                job -> assertThat(job.status()).as("a job that may be queued").isEqualTo(JobStatus.QUEUED));
        assertThat(queue.size()).isEqualTo(1);
    }

    @Test
    @DisplayName("says what is missing when find or cancel is used without a JobStore")
    void needsJobStore() {
        ErgateClient noStore = ErgateClient.builder(queue).build();

        assertThatThrownBy(() -> noStore.find(JobId.of("x")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("find needs a JobStore");
    }
}
