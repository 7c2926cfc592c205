package dev.ergate.sqs;

import static dev.ergate.sqs.QueueFixture.total;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ergate.Job;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("priorities, which SQS does not have")
class SqsPriorityTest {

    private final QueueFixture queues = new QueueFixture();

    @AfterEach
    void close() {
        queues.close();
    }

    @Test
    @DisplayName("a job with a priority is refused at put, naming the job and SQS and the way out; nothing is sent")
    void priorityRefused() throws Exception {
        String url = SqsTestBackend.newQueue("priority");
        SqsJobQueue queue = queues.open(url, 30);
        Job urgent = Jobs.job("urgent").toBuilder().priority(5).build();

        assertThatThrownBy(() -> queue.put(urgent)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("urgent").hasMessageContaining("priority 5")
                .hasMessageContaining("SQS has no priorities").hasMessageContaining("one SQS queue per priority level");
        assertThat(total(url)).isZero();

        queue.put(Jobs.job("plain").toBuilder().priority(0).build());
        assertThat(queue.take(Duration.ofSeconds(5)).orElseThrow().job().id().value()).isEqualTo("plain");
    }
}
