package dev.ergate.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code --dashboard}: the run can be watched in a browser while it goes, and the dashboard stops with it. */
class DemoDashboardTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theRunIsServedLiveAndTheDashboardStopsWithIt() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Demo.run(
                new String[] {"--jobs", "150", "--concurrency", "2", "--step-millis", "15", "--dashboard", "0"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false, Map.of()));

        Pattern at = Pattern.compile("Dashboard: (http://127\\.0\\.0\\.1:[0-9]+/)");
        URI uri = await().atMost(Duration.ofSeconds(20)).until(() -> {
            Matcher m = at.matcher(out.toString(StandardCharsets.UTF_8));
            return m.find() ? URI.create(m.group(1)) : null;
        }, u -> u != null);
        await().atMost(Duration.ofSeconds(20)).until(() -> http.send(
                HttpRequest.newBuilder(uri.resolve("/api/overview")).build(), HttpResponse.BodyHandlers.ofString())
                .body().contains("\"name\":\"" + OrderWorkflow.NAME + "\""));
        assertThat(run.isDone()).as("the batch was still running while the dashboard answered").isFalse();

        assertThat(run.get(60, TimeUnit.SECONDS)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(uri.resolve("/api/overview"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }
}
