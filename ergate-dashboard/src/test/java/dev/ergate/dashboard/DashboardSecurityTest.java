package dev.ergate.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.testkit.InMemoryJobAdmin;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.InMemoryJobStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Who may see and change what: authentication, CSRF, origin, read-only, escaping, headers. */
class DashboardSecurityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final InMemoryJobStore store = InMemoryJobStore.create();
    private final InMemoryJobQueue queue = InMemoryJobQueue.create();
    private final InMemoryJobAdmin admin = InMemoryJobAdmin.of(store, queue);
    private final JobId running = JobId.of("running-1");
    private ErgateDashboard dashboard;

    @BeforeEach
    void jobs() {
        store.update(Job.builder().id(running).workflowName("orders").status(JobStatus.RUNNING).build());
        store.update(Job.builder().id("xss").workflowName("echo").status(JobStatus.COMPLETED)
                .initialInputValue(TextNode.valueOf("<script>alert(1)</script>")).build());
    }

    @AfterEach
    void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
        queue.close();
    }

    private ErgateDashboard start(DashboardOptions.Builder options) {
        dashboard = ErgateDashboard.start(admin, queue, options.port(0).build());
        return dashboard;
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(dashboard.uri().resolve(path)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(dashboard.uri().resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String csrf(HttpResponse<String> page) {
        Matcher m = Pattern.compile("data-csrf=\"([0-9a-f]+)\"").matcher(page.body());
        assertThat(m.find()).as("the page carries its CSRF token").isTrue();
        return m.group(1);
    }

    private JobStatus status(JobId id) {
        return store.find(id).orElseThrow().status();
    }

    @Test
    void bindsToLoopbackByDefault() {
        assertThat(DashboardOptions.defaults().host()).isEqualTo("127.0.0.1");
        assertThat(start(DashboardOptions.builder()).uri().getHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void anActionNeedsThePagesCsrfTokenAndTheSameOrigin() throws Exception {
        start(DashboardOptions.builder());
        String body = "{\"id\":\"running-1\"}";
        assertThat(post("/api/job/cancel", body).statusCode()).isEqualTo(403);
        assertThat(post("/api/job/cancel", body, "X-Ergate-Csrf", "0123abcd").statusCode()).isEqualTo(403);
        String token = csrf(get("/"));
        assertThat(post("/api/job/cancel", body, "X-Ergate-Csrf", token, "Origin", "http://evil.example").statusCode())
                .isEqualTo(403);
        assertThat(status(running)).isEqualTo(JobStatus.RUNNING);

        HttpResponse<String> done = post("/api/job/cancel", body, "X-Ergate-Csrf", token,
                "Origin", "http://127.0.0.1:" + dashboard.port());
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(done.body()).get("done").asBoolean()).isTrue();
        assertThat(status(running)).isEqualTo(JobStatus.CANCELLING);
    }

    @Test
    void aGetNeverChangesAnything() throws Exception {
        start(DashboardOptions.builder());
        assertThat(get("/api/job/cancel?id=running-1").statusCode()).isEqualTo(404);
        assertThat(status(running)).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void readOnlyRefusesActionsAndSaysSo() throws Exception {
        start(DashboardOptions.builder().readOnly(true));
        HttpResponse<String> page = get("/");
        assertThat(page.body()).contains("data-read-only=\"true\"");
        HttpResponse<String> refused = post("/api/job/cancel", "{\"id\":\"running-1\"}", "X-Ergate-Csrf", csrf(page));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("read-only");
        assertThat(status(running)).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void aTokenGuardsEveryPathAndABrowserLogsInOnce() throws Exception {
        start(DashboardOptions.builder().token("s3cret-token"));
        assertThat(get("/").statusCode()).isEqualTo(401);
        assertThat(get("/api/overview").statusCode()).isEqualTo(401);
        assertThat(get("/static/app.js").statusCode()).isEqualTo(401);
        assertThat(get("/", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(get("/api/overview", "Authorization", "Bearer s3cret-token").statusCode()).isEqualTo(200);

        HttpResponse<String> login = get("/?token=s3cret-token");
        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.headers().firstValue("Location")).hasValue("/");
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict");
        assertThat(get("/jobs", "Cookie", cookie.substring(0, cookie.indexOf(';'))).statusCode()).isEqualTo(200);
    }

    @Test
    void basicAuthAsksForAPassword() throws Exception {
        start(DashboardOptions.builder().basicAuth("ops", "pa55word"));
        HttpResponse<String> challenge = get("/");
        assertThat(challenge.statusCode()).isEqualTo(401);
        assertThat(challenge.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertThat(get("/", "Authorization", basic("ops", "wrong")).statusCode()).isEqualTo(401);
        assertThat(get("/", "Authorization", basic("ops", "pa55word")).statusCode()).isEqualTo(200);
        assertThat(DashboardOptions.builder().basicAuth("ops", "pa55word").token("t0ken").build().toString())
                .doesNotContain("pa55word").doesNotContain("t0ken");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void jobValuesTravelAsJsonDataAndPagesForbidInlineScript() throws Exception {
        start(DashboardOptions.builder().title("<b>prod</b>"));
        HttpResponse<String> page = get("/job?id=xss");
        assertThat(page.body()).doesNotContain("alert(1)").contains("&lt;b&gt;prod&lt;/b&gt;");
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe-inline"));
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

        HttpResponse<String> job = get("/api/job?id=xss");
        assertThat(job.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode fields = JSON.readTree(job.body()).get("fields");
        assertThat(fields.get("initial_input_value").asText()).isEqualTo("\"<script>alert(1)</script>\"");
    }

    @Test
    void badRequestsGetAClearMessage() throws Exception {
        start(DashboardOptions.builder());
        HttpResponse<String> bad = get("/api/jobs?status=DONE");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("unknown status 'DONE'");
        String token = csrf(get("/"));
        HttpResponse<String> notJson = post("/api/job/retry", "id=1", "X-Ergate-Csrf", token);
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(get("/api/job?id=nope").body()).contains("\"found\":false");
    }
}
