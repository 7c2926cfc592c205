package dev.ergate.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.ErgateBackendException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

@DisplayName("opening a queue: creating it, the clients Ergate builds, and setup checks")
class SqsSetupTest {

    /** Answers GetQueueAttributes with a MessageRetentionPeriod, as SQS does (ElasticMQ does not report it). */
    static final class RetentionClient extends ForwardingSqsClient {
        private final Duration retention;

        RetentionClient(Duration retention) {
            this.retention = retention;
        }

        @Override
        public GetQueueAttributesResponse getQueueAttributes(GetQueueAttributesRequest request) {
            Map<QueueAttributeName, String> attributes = new HashMap<>(super.getQueueAttributes(request).attributes());
            attributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, Long.toString(retention.toSeconds()));
            return GetQueueAttributesResponse.builder().attributes(attributes).build();
        }
    }

    @Test
    @DisplayName("a queue whose retention is shorter than Ergate's longest wait is warned about once, at build")
    void shortRetentionWarned() {
        String url = SqsTestBackend.newQueue("retention");
        String dlq = SqsTestBackend.newQueue("retention-dlq");
        SqsQueueOptions options = SqsQueueOptions.builder().deadLetterQueueUrl(dlq).build();
        try (SqsJobQueue shortLived = SqsJobQueue.builder().client(new RetentionClient(Duration.ofHours(1)))
                .queueUrl(url).queueOptions(options).build();
                SqsJobQueue longLived = SqsJobQueue.builder().client(new RetentionClient(Duration.ofDays(4)))
                        .queueUrl(url).queueOptions(options).build()) {
            assertThat(shortLived.setupWarnings()).singleElement().asString()
                    .contains("MessageRetentionPeriod", url, "PT1H", "PT12H15M");
            assertThat(longLived.setupWarnings()).isEmpty();
        }
    }

    @Test
    @DisplayName("a dead-letter queue that does not exist is warned about at build")
    void missingDeadLetterQueueWarned() {
        String url = SqsTestBackend.newQueue("missing-dlq");
        String dlq = url.substring(0, url.lastIndexOf('/') + 1) + "no-such-queue-" + UUID.randomUUID();
        try (SqsJobQueue queue = SqsJobQueue.builder().client(SqsTestBackend.client()).queueUrl(url)
                .queueOptions(SqsQueueOptions.builder().deadLetterQueueUrl(dlq).build()).build()) {
            assertThat(queue.setupWarnings()).anySatisfy(w -> assertThat(w).contains(dlq, "does not exist"));
        }
    }

    @Test
    @DisplayName("fromUri and SqsBackend.connect with a queue URL and create=true create the missing queue")
    void createByUrl() throws Exception {
        String existing = SqsTestBackend.newQueue("create-base");
        String base = existing.substring(0, existing.lastIndexOf('/') + 1);
        String settings = "?region=us-east-1&credentials=anonymous";
        String missing = base + "ergate-created-" + UUID.randomUUID().toString().substring(0, 8);
        assertThatThrownBy(() -> SqsJobQueue.fromUri(missing + settings).build())
                .isInstanceOf(ErgateBackendException.class).hasMessageContaining("does not exist")
                .hasMessageContaining("create=true");

        try (SqsJobQueue queue = SqsJobQueue.fromUri(missing + settings + "&create=true").build()) {
            assertThat(queue.queueUrl()).endsWith(missing.substring(missing.lastIndexOf('/')));
            roundTrip(queue, "created-by-url");
        }
        String missingFifo = base + "ergate-created-" + UUID.randomUUID().toString().substring(0, 8) + ".fifo";
        try (SqsBackend backend = SqsBackend.connect(missingFifo + settings + "&create=true");
                SqsJobQueue queue = backend.queue()) {
            assertThat(queue.isFifo()).isTrue();
            roundTrip(queue, "created-fifo-by-url");
        }
    }

    @Test
    @DisplayName("the client Ergate builds makes one attempt per call: Ergate retries itself")
    void sdkRetriesOff() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "{\"__type\":\"InternalError\",\"message\":\"try again\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
        try (SqsClient client = SqsOptions.builder().endpoint(URI.create(endpoint)).region("us-east-1")
                .credentials(SqsTestBackend.credentials()).build().createClient()) {
            assertThatThrownBy(() -> client.sendMessage(r -> r.queueUrl(endpoint + "/000000000000/q").messageBody("x")))
                    .isInstanceOf(software.amazon.awssdk.services.sqs.model.SqsException.class);
            assertThat(requests.get()).as("attempts of one SendMessage that failed with a 500").isEqualTo(1);
        } finally {
            server.stop(0);
        }
    }

    private static void roundTrip(SqsJobQueue queue, String id) throws InterruptedException {
        queue.put(Jobs.job(id));
        Delivery delivery = queue.take(Duration.ofSeconds(10)).orElseThrow();
        assertThat(delivery.job().id().value()).isEqualTo(id);
        delivery.ack();
    }
}
