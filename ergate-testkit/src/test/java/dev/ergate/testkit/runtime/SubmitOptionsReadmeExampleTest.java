package dev.ergate.testkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ergate.JobId;
import dev.ergate.runtime.DuplicateJobException;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.InMemoryJobStore;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The priorities and unique keys example of the runtime README, kept compiling and passing here. */
@DisplayName("runtime README: priorities and unique keys")
class SubmitOptionsReadmeExampleTest {

    record Invoice(int number) {
    }

    @Test
    void example() throws InterruptedException {
        InMemoryJobQueue queue = InMemoryJobQueue.builder().priorityAging(Duration.ofMinutes(1)).build();
        InMemoryJobStore store = InMemoryJobStore.create();
        ErgateClient client = ErgateClient.builder(queue).store(store).build();
        Invoice invoice = new Invoice(42);

        // --- README begins
        JobId routine = client.submit("invoice").input(invoice).submit();
        JobId urgent = client.submit("invoice").input(invoice).priority(10).submit();  // taken before routine

        JobId first = client.submit("invoice").input(invoice).uniqueKey("invoice-42").submit();
        JobId again = client.submit("invoice").input(invoice).uniqueKey("invoice-42").submit();  // == first
        try {
            client.submit("invoice").input(invoice).uniqueKey("invoice-42").failIfExists().submit();
        } catch (DuplicateJobException e) {
            System.out.println("already there: " + e.existingId());
        }
        client.submit("daily-report").uniqueKey("report-2026-12-03", Duration.ofHours(24)).submit();
        // --- README ends

        assertThat(queue.take(Duration.ZERO).orElseThrow().job().id()).isEqualTo(urgent);
        assertThat(queue.take(Duration.ZERO).orElseThrow().job().id()).isEqualTo(routine);
        assertThat(again).isEqualTo(first);
        assertThatThrownBy(() -> client.submit("invoice").uniqueKey("invoice-42").failIfExists().submit())
                .isInstanceOf(DuplicateJobException.class);
    }
}
