package dev.ergate.testkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.AbortJob;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.Workflow;
import dev.ergate.spi.FinalStateNotifier;
import dev.ergate.spi.JobPage;
import dev.ergate.spi.JobQuery;
import dev.ergate.spi.JobStore;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.InMemoryJobStore;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ErgateClient: fluent submit and await")
class ErgateClientSubmitAwaitTest {

    record Order(int id, int quantity) {
    }

    private final InMemoryJobQueue queue = InMemoryJobQueue.create();
    private final InMemoryJobStore store = InMemoryJobStore.create();
    private final ErgateClient client = ErgateClient.builder(queue).store(store).build();
    private Ergate worker;

    @AfterEach
    void stopWorker() {
        if (worker != null) {
            worker.close();
        }
    }

    private void startWorker() {
        worker = Ergate.builder(queue, store)
                .options(ErgateOptions.builder().concurrency(2).handleSignals(false)
                        .pollTimeout(Duration.ofMillis(50)).build())
                .build();
        worker.registerWorkflow(Workflow.builder("orders")
                .step("total", Order.class, (order, ctx) -> {
                    if (order.quantity() < 0) {
                        throw new AbortJob("negative quantity");
                    }
                    return order.quantity() * 10;
                })
                .build());
        worker.start();
    }

    @Test
    @DisplayName("the fluent form sets input, user context, id and a start time from a delay or an instant")
    void fluentForm() {
        Instant before = Instant.now();
        JobId delayed = client.submit("orders").input(new Order(1, 2)).userContext(Map.of("user", "ann"))
                .delay(Duration.ofMinutes(5)).submit();
        JobId atTime = client.submit("orders").id(JobId.of("o-2")).startAt(Instant.parse("2030-01-01T00:00:00Z"))
                .submit();

        Job first = store.find(delayed).orElseThrow();
        assertThat(first.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(first.initialInputValue().toString()).isEqualTo("{\"id\":1,\"quantity\":2}");
        assertThat(first.userContext().get("user").asText()).isEqualTo("ann");
        assertThat(first.requestedStartTime()).isBetween(before.plus(Duration.ofMinutes(5)),
                Instant.now().plus(Duration.ofMinutes(5)));
        assertThat(atTime).isEqualTo(JobId.of("o-2"));
        assertThat(store.find(atTime).orElseThrow().requestedStartTime())
                .isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
        assertThat(queue.jobs()).hasSize(2);
    }

    @Test
    @DisplayName("refuses a missing workflow, a negative delay, both startAt and delay, and a negative timeout")
    @SuppressWarnings("NullAway")
    void clearErrors() {
        assertThatThrownBy(() -> client.submit((String) null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workflow name");
        assertThatThrownBy(() -> client.submit(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workflow name");
        assertThatThrownBy(() -> client.submit("orders").delay(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> client.submit("orders").startAt(Instant.now()).delay(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> client.submit("orders").delay(Duration.ofSeconds(1)).startAt(Instant.now()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> client.submit("orders").submitAndAwait(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        ErgateClient noStore = ErgateClient.builder(queue).build();
        assertThatThrownBy(() -> noStore.submit("orders").submitAndAwait(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("submitAndAwait needs a JobStore");
        assertThat(queue.jobs()).as("nothing is submitted when the arguments are wrong").isEmpty();
    }

    @Test
    @DisplayName("a real worker runs the job and the future completes with its final state, completed or aborted")
    void completesWithFinalJob() {
        startWorker();

        Job done = client.submit("orders").input(new Order(1, 3)).submitAndAwait(Duration.ofSeconds(30)).join();
        JobId abortedId = client.submit("orders", new Order(2, -1));
        Job aborted = client.await(abortedId, Duration.ofSeconds(30)).join();

        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.lastReturnValue().intValue()).isEqualTo(30);
        assertThat(aborted.id()).isEqualTo(abortedId);
        assertThat(aborted.status()).isEqualTo(JobStatus.ABORTED);
        assertThat(client.await(abortedId, Duration.ZERO).join().status())
                .as("an already final job completes the future at once").isEqualTo(JobStatus.ABORTED);
    }

    @Test
    @DisplayName("fails with a TimeoutException naming the last status when the job is not final in time")
    void timesOut() {
        JobId id = client.submit("orders", new Order(1, 1));    // no worker: stays QUEUED
        long start = System.nanoTime();

        CompletableFuture<Job> future = client.await(id, Duration.ofMillis(300));

        assertThatThrownBy(future::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(TimeoutException.class)
                .hasMessageContaining(id.toString()).hasMessageContaining("QUEUED");
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(waitedMillis).isBetween(300L, 5_000L);
    }

    @Test
    @DisplayName("a thousand waiters add no thread, and all time out on the one shared thread")
    void noThreadPerWaiter() {
        JobId warmUp = client.submit("orders", new Order(0, 0));
        client.await(warmUp, Duration.ofMillis(1)).exceptionally(e -> null).join();  // starts the shared thread
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();

        List<CompletableFuture<Job>> futures = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            futures.add(client.await(client.submit("orders", new Order(i, 1)), Duration.ofMillis(500)));
        }
        int threadsWhileWaiting = ManagementFactory.getThreadMXBean().getThreadCount();

        assertThat(threadsWhileWaiting).isLessThanOrEqualTo(threadsBefore + 1);  // +1: room for an unrelated JVM thread
        assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("ergate-await")))
                .hasSize(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> futures.stream().allMatch(CompletableFuture::isDone));
        assertThat(futures).allSatisfy(f -> assertThatThrownBy(f::join).cause().isInstanceOf(TimeoutException.class));
    }

    @Test
    @DisplayName("a store that notifies wakes the waiter even when polling would never see the final state")
    void wokenByNotifier() {
        JobId id = client.submit("orders", new Order(1, 1));
        ErgateClient staleClient = ErgateClient.builder(queue).store(new StalePollsStore(store)).build();

        CompletableFuture<Job> future = staleClient.await(id, Duration.ofSeconds(30));
        store.update(store.find(id).orElseThrow().toBuilder().status(JobStatus.COMPLETED).build());

        assertThat(future.join().status()).isEqualTo(JobStatus.COMPLETED);
    }

    /** Reads always say QUEUED, so only the in-memory store's notification can end the wait. */
    private record StalePollsStore(InMemoryJobStore real) implements JobStore, FinalStateNotifier {
        @Override
        public Optional<Job> find(JobId id) {
            return real.find(id).map(job -> job.toBuilder().status(JobStatus.QUEUED).build());
        }

        @Override
        public Subscription onFinalState(Consumer<Job> listener) {
            return real.onFinalState(listener);
        }

        @Override
        public void update(Job job) {
            real.update(job);
        }

        @Override
        public JobPage list(JobQuery query) {
            return real.list(query);
        }

        @Override
        public boolean requestCancel(JobId id) {
            return real.requestCancel(id);
        }
    }
}
