package dev.ergate.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.runtime.support.TestQueue;
import dev.ergate.runtime.support.TestStore;
import org.junit.jupiter.api.Test;

class SubmitHookTest {

    @Test
    void hooksChangeTheJobInOrderBeforeItIsRecordedAndQueued() {
        TestQueue queue = new TestQueue();
        TestStore store = new TestStore();
        ErgateClient client = ErgateClient.builder(queue).store(store)
                .submitHook(job -> job.toBuilder().extraField("first", TextNode.valueOf("1")).build())
                .submitHook(job -> job.toBuilder()
                        .extraField("second", TextNode.valueOf(job.extraField("first").asText() + "2")).build())
                .build();

        JobId id = client.submit("orders", 7);

        assertThat(queue.puts()).singleElement().satisfies(put -> {
            assertThat(put.id()).isEqualTo(id);
            assertThat(put.extraField("second")).isEqualTo(TextNode.valueOf("12"));
        });
        assertThat(store.find(id).orElseThrow().extraField("second")).isEqualTo(TextNode.valueOf("12"));
    }

    @Test
    void aHookThatChangesTheIdIsRefusedAndNothingIsQueued() {
        TestQueue queue = new TestQueue();
        ErgateClient client = ErgateClient.builder(queue)
                .submitHook(job -> job.toBuilder().id(JobId.random()).build())
                .build();

        assertThatThrownBy(() -> client.submit(Job.of("orders")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must return the job with its id");
        assertThat(queue.puts()).isEmpty();
    }
}
