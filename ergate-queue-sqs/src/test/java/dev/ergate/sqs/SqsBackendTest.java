package dev.ergate.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.StatusDialect;
import dev.ergate.spi.Delivery;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SqsBackend, entered like the other backends")
class SqsBackendTest {

    @Test
    @DisplayName("connect(options) builds a client its queues share, and close() closes it")
    void connectWithOptions() throws Exception {
        String url = SqsTestBackend.newQueue("backend");
        SqsBackend backend = SqsBackend.connect(SqsTestBackend.clientOptions());
        SqsJobQueue queue = backend.queue(url, SqsQueueOptions.builder().leaseTime(Duration.ofSeconds(5)).build());
        roundTrip(queue, "by-url");
        assertThat(queue.queueOptions().leaseTime()).isEqualTo(Duration.ofSeconds(5));
        queue.close();

        backend.close();

        assertThatThrownBy(() -> backend.client().listQueues()).as("a call on the closed client")
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    @DisplayName("create(client) uses your client by queue name, and leaves it open")
    void createWithClient() throws Exception {
        String url = SqsTestBackend.newQueue("backend-name");
        String name = url.substring(url.lastIndexOf('/') + 1);
        try (SqsBackend backend = SqsBackend.create(SqsTestBackend.client());
                SqsJobQueue queue = backend.queue(name)) {
            assertThat(queue.queueUrl()).isEqualTo(url);
            roundTrip(queue, "by-name");
            assertThatThrownBy(backend::queue).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("queue(urlOrName)");
        }
        assertThat(SqsTestBackend.client().listQueues().queueUrls()).contains(url);
    }

    @Test
    @DisplayName("connect(uri) opens the queue the URI names, with its settings")
    void connectWithUri() throws Exception {
        String url = SqsTestBackend.newQueue("backend-uri");
        try (SqsBackend backend = SqsBackend.connect(url + "?region=us-east-1&credentials=anonymous&leaseSeconds=7");
                SqsJobQueue queue = backend.queue()) {
            assertThat(queue.queueUrl()).isEqualTo(url);
            assertThat(queue.queueOptions().leaseTime()).isEqualTo(Duration.ofSeconds(7));
            roundTrip(queue, "by-uri");
        }
    }

    @Test
    @DisplayName("the codec of connect(uri, codec) and of create(client, options) writes the queues' messages")
    void codecReachesQueues() throws Exception {
        JobCodec python = JobCodec.builder().dialect(StatusDialect.PYTHON_2024).build(); // writes codes: no second switch
        String byUri = SqsTestBackend.newQueue("backend-codec-uri");
        try (SqsBackend backend = SqsBackend.connect(byUri + "?region=us-east-1&credentials=anonymous", python);
                SqsJobQueue queue = backend.queue()) {
            assertStatusIsCode(queue, byUri, "codec-uri");
        }
        String byClient = SqsTestBackend.newQueue("backend-codec-client");
        try (SqsBackend backend = SqsBackend.create(SqsTestBackend.client(), SqsOptions.builder().codec(python).build());
                SqsJobQueue queue = backend.queue(byClient + "?leaseSeconds=9")) {
            assertThat(queue.queueOptions().leaseTime()).isEqualTo(Duration.ofSeconds(9));
            assertStatusIsCode(queue, byClient, "codec-client");
        }
    }

    private static void assertStatusIsCode(SqsJobQueue queue, String url, String id) {
        queue.put(Jobs.job(id));
        String body = SqsTestBackend.client().receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(10))
                .messages().get(0).body();
        assertThat(body).as("a Python 2024 codec writes the status as a number").containsPattern("\"status\":\\d");
    }

    private static void roundTrip(SqsJobQueue queue, String id) throws InterruptedException {
        Job job = Jobs.job(id);
        queue.put(job);
        Delivery delivery = queue.take(Duration.ofSeconds(10)).orElseThrow();
        assertThat(delivery.job().id()).isEqualTo(job.id());
        delivery.ack();
    }
}
