package dev.ergate.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** What the sample does on any backend: an order posted over HTTP becomes a COMPLETED job. */
abstract class OrderOverHttpContract {

    private static final Pattern JOB_ID = Pattern.compile("\"jobId\":\"([^\"]+)\"");

    @LocalServerPort
    int port;

    @Test
    void anOrderPostedOverHttpIsRunByTheWorkerInTheSameApp() throws Exception {
        HttpResponse<String> posted = SampleServices.post("http://127.0.0.1:" + port + "/orders",
                "{\"id\":\"o-42\",\"sku\":\"book\",\"quantity\":2}");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        Matcher id = JOB_ID.matcher(posted.body());
        assertThat(id.find()).as(posted.body()).isTrue();
        String jobUrl = "http://127.0.0.1:" + port + "/orders/" + id.group(1);

        String done = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> SampleServices.get(jobUrl).body(), body -> body.contains("\"status\":\"COMPLETED\""));
        assertThat(done).contains("\"stepsCompleted\":4", "shipped against receipt-o-42");

        String health = SampleServices.get("http://127.0.0.1:" + port + "/actuator/health").body();
        assertThat(health).contains("\"ergate\"", "\"running\":true");
        String steps = SampleServices.get("http://127.0.0.1:" + port + "/actuator/metrics/ergate.steps").body();
        assertThat(steps).contains("\"name\":\"ergate.steps\"");
    }

    @Test
    void anEmptyOrderIsAborted() throws Exception {
        HttpResponse<String> posted = SampleServices.post("http://127.0.0.1:" + port + "/orders",
                "{\"id\":\"o-0\",\"sku\":\"book\",\"quantity\":0}");
        Matcher id = JOB_ID.matcher(posted.body());
        assertThat(id.find()).as(posted.body()).isTrue();
        String jobUrl = "http://127.0.0.1:" + port + "/orders/" + id.group(1);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> SampleServices.get(jobUrl).body(), body -> body.contains("\"status\":\"ABORTED\""));
    }
}
