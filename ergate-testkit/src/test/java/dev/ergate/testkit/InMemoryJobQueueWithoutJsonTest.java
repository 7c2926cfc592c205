package dev.ergate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.JobFormatException;
import dev.ergate.JobStatus;
import dev.ergate.StatusDialect;
import dev.ergate.spi.Delivery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("InMemoryJobQueue with and without the JSON round trip")
class InMemoryJobQueueWithoutJsonTest {

    private static final Duration LEASE = Duration.ofSeconds(30);

    private final ManualClock clock = ManualClock.create();
    private final InMemoryJobQueue objects = InMemoryJobQueue.builder().clock(clock).leaseTime(LEASE)
            .jsonRoundTrip(false).build();

    @AfterEach
    void close() {
        objects.close();
    }

    private Delivery takeNow(InMemoryJobQueue queue) throws InterruptedException {
        return queue.take(Duration.ZERO).orElseThrow(() -> new AssertionError("nothing to take"));
    }

    private static Job jobWithObjectInput(String id) {
        return Job.builder().id(id).workflowName("w")
                .initialInputValue(JsonNodeFactory.instance.objectNode().put("a", 1)).build();
    }

    @Test
    @DisplayName("without JSON, a step that changes its input tree changes neither a redelivery nor the job that was put")
    void changingADeliveredTreeChangesNothingQueued() throws Exception {
        Job put = jobWithObjectInput("c");
        objects.put(put);

        Delivery first = takeNow(objects);
        ((ObjectNode) first.job().initialInputValue()).put("a", 2);
        clock.advance(LEASE); // the lease runs out: delivered again, as after a crash
        Delivery second = takeNow(objects);

        assertThat(second.deliveryCount()).isEqualTo(2);
        assertThat(second.job().initialInputValue().get("a").asInt()).isEqualTo(1);
        assertThat(put.initialInputValue().get("a").asInt()).isEqualTo(1);
        assertThat(second.job()).isEqualTo(put);
    }

    @Test
    @DisplayName("without JSON, a job holding only scalar values is handed out as it was put, not copied")
    void scalarJobsAreNotCopied() throws Exception {
        Job put = Job.builder().id("s").workflowName("w").initialInputValue(TextNode.valueOf("payload")).build();
        objects.put(put);

        assertThat(takeNow(objects).job()).isSameAs(put);
    }

    @Test
    @DisplayName("with JSON (the default), a job that can't be written as JSON is refused at put, naming the problem; without, it passes")
    void theDefaultCatchesJobsThatCantTravelAsJson() throws Exception {
        Job unwritable = Job.builder().id("u").workflowName("w").userContext(new POJONode(new Object())).build();
        InMemoryJobQueue json = InMemoryJobQueue.builder().clock(clock).build();

        assertThatThrownBy(() -> json.put(unwritable))
                .isInstanceOf(JobFormatException.class)
                .hasMessageContaining("job u").hasMessageContaining("can't be written as JSON");
        assertThat(json.size()).isZero();
        objects.put(unwritable);
        assertThat(takeNow(objects).job().id().value()).isEqualTo("u");
        json.close();
    }

    @Test
    @DisplayName("with JSON, the queue's codec is applied both ways: a status its dialect can't write is refused")
    void theDefaultUsesItsCodec() {
        JobCodec codes = JobCodec.builder().dialect(StatusDialect.PYTHON_2024).writeStatusCodes(true).build();
        InMemoryJobQueue json = InMemoryJobQueue.builder().clock(clock).codec(codes).build();

        assertThatThrownBy(() -> json.put(Job.builder().workflowName("w").status(JobStatus.PENDING).build()))
                .isInstanceOf(JobFormatException.class).hasMessageContaining("PENDING");
        json.close();
    }

    @Test
    @DisplayName("without JSON, raw messages are still decoded when taken, and one that is not a job is dead-lettered")
    void rawMessagesAreStillDecoded() throws Exception {
        objects.putRaw("not json".getBytes(StandardCharsets.UTF_8));
        objects.putRaw("{\"workflow_name\":\"w\",\"id\":\"raw\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(takeNow(objects).job().id().value()).isEqualTo("raw");
        assertThat(objects.deadLetters()).singleElement().satisfies(dead -> assertThat(dead.body()).isEqualTo("not json"));
    }

    @Test
    @DisplayName("without JSON, a dead-lettered job keeps its text as JSON")
    void deadLetteredJobObjectsAreWrittenAsJson() throws Exception {
        objects.put(jobWithObjectInput("poison"));

        takeNow(objects).deadLetter("killed 5 workers");

        assertThat(objects.deadLetters()).singleElement().satisfies(dead -> {
            assertThat(dead.body()).contains("\"poison\"").contains("\"a\":1");
            assertThat(dead.reason()).isEqualTo("killed 5 workers");
        });
    }

    @Test
    @DisplayName("a size limit without the JSON round trip is refused: there is no message size to limit")
    void noSizeLimitWithoutJson() {
        assertThatThrownBy(() -> InMemoryJobQueue.builder().jsonRoundTrip(false).maxJobBytes(1000).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxJobBytes").hasMessageContaining("jsonRoundTrip");
    }
}
