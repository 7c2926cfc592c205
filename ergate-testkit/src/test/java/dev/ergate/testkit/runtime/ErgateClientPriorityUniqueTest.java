package dev.ergate.testkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.RuntimeFields;
import dev.ergate.runtime.DuplicateJobException;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.StateStore;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.InMemoryJobStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ErgateClient: priority and unique keys")
class ErgateClientPriorityUniqueTest {

    private final InMemoryJobQueue queue = InMemoryJobQueue.create();
    private final InMemoryJobStore store = InMemoryJobStore.create();
    private final ErgateClient client = ErgateClient.builder(queue).store(store).build();

    @Test
    @DisplayName("priority(n) travels in the job as ergate_priority; without it the JSON has no such field")
    void priorityOnTheWire() throws InterruptedException {
        JobId plain = client.submit("w").input(1).submit();
        JobId urgent = client.submit("w").input(2).priority(5).submit();

        Delivery first = queue.take(Duration.ZERO).orElseThrow();
        Delivery second = queue.take(Duration.ZERO).orElseThrow();

        assertThat(first.job().id()).as("the higher priority first").isEqualTo(urgent);
        assertThat(first.job().priority()).isEqualTo(5);
        assertThat(second.job().id()).isEqualTo(plain);
        String plainJson = new String(JobCodec.standard().encode(store.find(plain).orElseThrow()), StandardCharsets.UTF_8);
        assertThat(plainJson).doesNotContain(RuntimeFields.PRIORITY).doesNotContain(RuntimeFields.UNIQUE_KEY);
        assertThatThrownBy(() -> client.submit("w").priority(Job.MAX_PRIORITY + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("priority");
    }

    @Test
    @DisplayName("a second submit with a held unique key returns the first job's id and queues nothing")
    void uniqueReturnsExisting() {
        JobId first = client.submit("w").input(1).uniqueKey("order-42").submit();
        JobId second = client.submit("w").input(2).uniqueKey("order-42").submit();

        assertThat(second).isEqualTo(first);
        assertThat(queue.size()).as("jobs queued").isEqualTo(1);
        assertThat(store.find(first).orElseThrow().extraField(RuntimeFields.UNIQUE_KEY).textValue())
                .isEqualTo("order-42");
    }

    @Test
    @DisplayName("failIfExists() throws DuplicateJobException naming the existing job")
    void failIfExists() {
        JobId first = client.submit("w").uniqueKey("k").submit();

        assertThatThrownBy(() -> client.submit("w").uniqueKey("k").failIfExists().submit())
                .isInstanceOfSatisfying(DuplicateJobException.class, e -> {
                    assertThat(e.existingId()).isEqualTo(first);
                    assertThat(e.uniqueKey()).isEqualTo("k");
                })
                .hasMessageContaining(first.toString());
    }

    @Test
    @DisplayName("the key is free again once its job is final")
    void freeAfterFinal() {
        JobId first = client.submit("w").uniqueKey("k").submit();
        store.update(store.find(first).orElseThrow().toBuilder().status(JobStatus.COMPLETED).build());

        JobId second = client.submit("w").uniqueKey("k").submit();

        assertThat(second).isNotEqualTo(first);
        assertThat(queue.size()).isEqualTo(2);
    }

    @Test
    @DisplayName("a unique key needs a store that keeps them, and failIfExists needs a key")
    void clearErrors() {
        StateStore plainStore = job -> { };
        ErgateClient withoutUnique = ErgateClient.builder(queue).store(plainStore).build();

        assertThatThrownBy(() -> withoutUnique.submit("w").uniqueKey("k").submit())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("UniqueJobs");
        assertThatThrownBy(() -> client.submit("w").failIfExists().submit())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("uniqueKey");
        assertThatThrownBy(() -> client.submit("w").uniqueKey(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
    }
}
