package dev.ergate.sqs;

import static dev.ergate.sqs.QueueFixture.total;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.ErgateBackendException;
import dev.ergate.spi.JobTooLargeException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("message size limit")
class SqsLimitsTest {

    private final QueueFixture queues = new QueueFixture();

    @AfterEach
    void close() {
        queues.close();
    }

    /** @return a job whose JSON is exactly {@code bytes} long */
    static Job jobOfSize(String id, long bytes) {
        Job empty = Jobs.job(id).toBuilder().lastReturnValue(JsonNodeFactory.instance.textNode("")).build();
        int base = JobCodec.standard().encode(empty).length;
        return empty.toBuilder()
                .lastReturnValue(JsonNodeFactory.instance.textNode("a".repeat((int) (bytes - base))))
                .build();
    }

    private SqsJobQueue legacyLimitQueue(String url) {
        return queues.open(url, SqsQueueOptions.builder()
                .maxJobBytes(SqsQueueOptions.SQS_LEGACY_MAX_JOB_BYTES).build());
    }

    @Test
    @DisplayName("the largest job the queue admits fits the server's limit and comes back whole")
    void largestJobFits() throws Exception {
        String url = SqsTestBackend.newQueue("size-ok");
        SqsJobQueue queue = legacyLimitQueue(url);
        Job job = jobOfSize("big-ok", queue.maxJobBytes());
        assertThat(JobCodec.standard().encode(job)).hasSize((int) queue.maxJobBytes());
        queue.put(job);
        Delivery delivery = queue.take(Duration.ofSeconds(5)).orElseThrow();
        assertThat(delivery.job()).isEqualTo(job);
        delivery.ack();
    }

    @Test
    @DisplayName("a job one byte over is refused at put, naming the job and its size, and nothing is sent")
    void tooLarge() throws Exception {
        String url = SqsTestBackend.newQueue("size-over");
        SqsJobQueue queue = legacyLimitQueue(url);
        Job job = jobOfSize("big-over", queue.maxJobBytes() + 1);
        assertThatThrownBy(() -> queue.put(job)).isInstanceOf(JobTooLargeException.class)
                .hasMessageContaining("big-over").hasMessageContaining(Long.toString(queue.maxJobBytes() + 1))
                .hasMessageContaining(Long.toString(queue.maxJobBytes()))
                .satisfies(e -> assertThat(((JobTooLargeException) e).sizeBytes()).isEqualTo(queue.maxJobBytes() + 1));
        assertThat(total(url)).isZero();
    }

    @Test
    @DisplayName("a server with a lower limit than configured refuses the job with an error naming it")
    void serverLimitLowerThanConfigured() throws Exception {
        String url = SqsTestBackend.newQueue("size-server");
        SqsJobQueue queue = queues.open(url, 30);
        assertThat(queue.maxJobBytes()).isEqualTo(SqsQueueOptions.SQS_MAX_MESSAGE_BYTES - MessageAttributes.RESERVED_BYTES);
        Job job = jobOfSize("big-server", 300_000);
        assertThatThrownBy(() -> queue.put(job)).isInstanceOf(ErgateBackendException.class)
                .hasMessageContaining("big-server")
                .satisfies(e -> assertThat(((ErgateBackendException) e).isTransient()).isFalse());
        assertThat(total(url)).isZero();
    }
}
