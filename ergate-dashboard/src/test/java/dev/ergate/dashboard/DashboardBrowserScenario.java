package dev.ergate.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.Workflow;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.JobCounts;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real browser against a worker running real jobs on one backend: the
 * overview's counts match the store, a FAILED job retried from its page completes, a dead letter
 * requeued from the page completes, and a job whose input is a script tag shows it as text. Each
 * test saves a screenshot under {@code target/screenshots}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DashboardBrowserScenario {

    static final String XSS = "<script>alert(1)</script>";

    /** @return the backend, on a namespace or schema of its own */
    abstract TestBackend openBackend();

    /** @return a short name for the screenshots, e.g. "redis" */
    abstract String name();

    TestBackend backend;
    Ergate worker;
    ErgateClient client;
    ErgateDashboard dashboard;
    Browser browser;
    final AtomicBoolean failing = new AtomicBoolean(true);
    final String run = UUID.randomUUID().toString().substring(0, 8);
    JobId failed;
    JobId xss;
    JobId poisoned;

    @BeforeAll
    void start() {
        browser = Browser.open(); // first: without Chromium the test stops before starting anything
        backend = openBackend();
        // a dead letter whose body is a good job: taken before any worker runs, then given up on
        poisoned = JobId.of("dead-" + run);
        backend.store().update(Job.builder().id(poisoned).workflowName("orders").status(JobStatus.QUEUED)
                .initialInputValue(IntNode.valueOf(21)).build());
        backend.queue().put(Job.builder().id(poisoned).workflowName("orders").status(JobStatus.QUEUED)
                .initialInputValue(IntNode.valueOf(21)).build());
        Delivery delivery = take();
        delivery.deadLetter("poisoned for the browser test");

        Workflow orders = Workflow.builder("orders")
                .step("double", Integer.class, (n, ctx) -> n * 2)
                .step("check", Integer.class, (n, ctx) -> {
                    if (n == 26 && failing.get()) {
                        throw new IllegalStateException("payment declined for " + n);
                    }
                    return "ok " + n;
                })
                .build();
        Workflow echo = Workflow.builder("echo").step("say", String.class, (text, ctx) -> text).build();
        worker = Ergate.builder(backend.queue(), backend.store())
                .options(ErgateOptions.builder().concurrency(2).pollTimeout(Duration.ofMillis(200))
                        .handleSignals(false).build())
                .build().registerWorkflow(orders).registerWorkflow(echo);
        worker.start();
        client = ErgateClient.builder(backend.queue()).store(backend.store()).build();
        for (int i = 1; i <= 5; i++) {
            client.submit(Job.builder().id("ok-" + run + "-" + i).workflowName("orders")
                    .initialInputValue(IntNode.valueOf(i)).build());
        }
        failed = client.submit(Job.builder().id("failing-" + run).workflowName("orders")
                .initialInputValue(IntNode.valueOf(13)).build());
        xss = client.submit(Job.builder().id("xss-" + run).workflowName("echo")
                .initialInputValue(TextNode.valueOf(XSS)).userContext(TextNode.valueOf(XSS)).build());
        await().atMost(Duration.ofSeconds(30)).until(() -> status(failed) == JobStatus.FAILED
                && status(xss) == JobStatus.COMPLETED
                && backend.admin().countJobs().count("orders", JobStatus.COMPLETED) == 5);

        dashboard = ErgateDashboard.start(backend.admin(), backend.queueStats(), DashboardOptions.builder()
                .port(0).title("Ergate on " + name()).refreshInterval(Duration.ofMillis(300)).build());
    }

    private Delivery take() {
        try {
            Optional<Delivery> delivery = backend.queue().take(Duration.ofSeconds(5));
            assertThat(delivery).as("the job put for the dead letter").isPresent();
            return delivery.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (dashboard != null) {
            dashboard.close();
        }
        if (worker != null) {
            worker.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    JobStatus status(JobId id) {
        return backend.store().find(id).map(Job::status).orElse(null);
    }

    String url(String path) {
        return dashboard.uri().resolve(path).toString();
    }

    @Test
    void overviewCountsMatchTheStore() {
        browser.get(url("/"));
        browser.until(d -> {
            JobCounts counts = backend.admin().countJobs();
            for (String workflow : new String[] {"orders", "echo"}) {
                for (JobStatus status : JobStatus.values()) {
                    WebElement cell = d.findElement(By.cssSelector(
                            "#counts td[data-workflow='" + workflow + "'][data-status='" + status + "']"));
                    if (Long.parseLong(cell.getText()) != counts.count(workflow, status)) {
                        return false;
                    }
                }
            }
            return true;
        });
        assertThat(browser.text("#counts td[data-workflow='orders'][data-status='COMPLETED']"))
                .isNotEqualTo("0");
        assertThat(browser.text("#queue-dead-letters")).isNotEmpty();
        assertThat(browser.text("#throughput-caption")).contains("Jobs finished per");
        browser.screenshot(name() + "-overview");

        browser.click("#counts td[data-workflow='orders'][data-status='COMPLETED'] a");
        browser.until(d -> d.getCurrentUrl().contains("/jobs?"));
        browser.until(d -> d.findElements(By.cssSelector("#jobs tbody tr[data-status='COMPLETED']")).size()
                == backend.admin().countJobs().count("orders", JobStatus.COMPLETED));
        assertThat(browser.property("#filter-status", "value")).isEqualTo("COMPLETED");
        browser.screenshot(name() + "-jobs");
    }

    @Test
    void aFailedJobRetriedFromItsPageCompletes() {
        browser.get(url("/jobs?status=FAILED"));
        browser.find("#jobs tr[data-id='" + failed.value() + "']");
        browser.find("#filter-status").sendKeys("any status");
        browser.find("#filter-id").sendKeys("failing-");
        browser.click("#apply-filters");
        browser.until(d -> d.getCurrentUrl().contains("id=failing-") && !d.getCurrentUrl().contains("status="));
        browser.until(d -> d.findElements(By.cssSelector("#jobs tbody tr[data-id]")).size() == 1);
        browser.click("#jobs tr[data-id='" + failed.value() + "'] a.job-link");
        browser.until(d -> d.getCurrentUrl().contains("/job?id="));
        assertThat(browser.text("#job-status")).isEqualTo("FAILED");
        assertThat(browser.text("#traceback")).contains("payment declined for 26");
        browser.screenshot(name() + "-job-failed");

        failing.set(false);
        browser.click("#action-retry");
        browser.until(d -> d.findElement(By.cssSelector("#job-status")).getText().equals("COMPLETED"));
        assertThat(status(failed)).isEqualTo(JobStatus.COMPLETED);
        assertThat(browser.text("#job-fields tr[data-field='last_return_value'] pre")).contains("ok 26");
        browser.screenshot(name() + "-job-retried");
    }

    @Test
    void aDeadLetterRequeuedFromThePageCompletes() {
        browser.get(url("/dead-letters"));
        assertThat(browser.text("#dead-letters tbody tr .reason")).contains("poisoned for the browser test");
        browser.screenshot(name() + "-dead-letters");
        browser.click("#dead-letters tbody tr button.requeue");
        browser.until(d -> !d.findElements(By.id("no-dead-letters")).isEmpty());
        await().atMost(Duration.ofSeconds(20)).until(() -> status(poisoned) == JobStatus.COMPLETED);
        assertThat(backend.store().find(poisoned).orElseThrow().lastReturnValue().asText()).isEqualTo("ok 42");
    }

    @Test
    void aWaitingJobIsCancelledThenDeletedFromItsPage() {
        JobId later = client.submit(Job.builder().id("later-" + run).workflowName("orders")
                .initialInputValue(IntNode.valueOf(1)).requestedStartTime(java.time.Instant.now().plusSeconds(3600))
                .build());
        browser.get(url("/job?id=" + later.value()));
        browser.click("#action-cancel");
        assertThat(browser.text("#action-cancel")).isEqualTo("Click again to cancel");
        browser.click("#action-cancel");
        browser.until(d -> d.findElement(By.cssSelector("#job-status")).getText().equals("CANCELLING"));
        assertThat(status(later)).isEqualTo(JobStatus.CANCELLING);

        browser.click("#action-delete");
        browser.click("#action-delete");
        browser.until(d -> d.getCurrentUrl().endsWith("/jobs"));
        assertThat(backend.store().find(later)).isEmpty();
    }

    @Test
    void aScriptInAJobsValuesStaysText() {
        browser.get(url("/job?id=" + xss.value()));
        String shown = browser.text("#job-fields tr[data-field='initial_input_value'] pre");
        assertThat(shown).contains(XSS);
        assertThat(browser.text("#job-fields tr[data-field='user_context'] pre")).contains(XSS);
        assertThat(browser.text("#job-fields tr[data-field='last_return_value'] pre")).contains(XSS);
        assertThat(browser.all("main script")).isEmpty();
        try {
            browser.driver.switchTo().alert();
            throw new AssertionError("an alert opened: the job's input ran as script");
        } catch (NoAlertPresentException expected) {
            // the input stayed text
        }
        browser.screenshot(name() + "-xss-as-text");
    }
}
