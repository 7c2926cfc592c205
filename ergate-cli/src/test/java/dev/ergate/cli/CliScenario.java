package dev.ergate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.Workflow;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The {@code ergate} command end to end on one backend, run in this JVM with its output
 * captured, next to a worker running real jobs on the same backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CliScenario {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A finished command: its status and what it printed. */
    record Run(int code, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + out + " / " + err, e);
            }
        }
    }

    /** @return the options that name the backend, e.g. --redis URI --namespace NS */
    abstract List<String> backendArgs();

    /** @return a queue and store on the same place the command's options name */
    abstract JobQueue queue();

    abstract JobStore store();

    /** Deletes what the tests wrote. */
    abstract void cleanUp();

    /** Opens the backend the options name; called first. */
    abstract void open(String run);

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final AtomicBoolean failing = new AtomicBoolean(true);
    Ergate worker;

    JobId poisoned;

    @BeforeAll
    void start() throws Exception {
        open(run);
        // a dead letter whose body is a good job, given up on before the worker starts
        poisoned = JobId.of("dead-" + run);
        Job job = Job.builder().id(poisoned).workflowName("orders").status(JobStatus.QUEUED)
                .initialInputValue(com.fasterxml.jackson.databind.node.IntNode.valueOf(21)).build();
        store().update(job);
        queue().put(job);
        Optional<Delivery> delivery = queue().take(Duration.ofSeconds(5));
        assertThat(delivery).isPresent();
        delivery.get().deadLetter("poisoned for the CLI test");

        Workflow orders = Workflow.builder("orders")
                .step("double", Integer.class, (n, ctx) -> n * 2)
                .step("check", Integer.class, (n, ctx) -> {
                    if (n == 26 && failing.get()) {
                        throw new IllegalStateException("payment declined for " + n);
                    }
                    return "ok " + n;
                })
                .build();
        worker = Ergate.builder(queue(), store())
                .options(ErgateOptions.builder().concurrency(2).pollTimeout(Duration.ofMillis(200))
                        .handleSignals(false).build())
                .build().registerWorkflow(orders);
        worker.start();
    }

    @AfterAll
    void stop() {
        if (worker != null) {
            worker.close();
        }
        cleanUp();
    }

    Run ergate(String... args) {
        return ergate(Map.of(), args);
    }

    Run ergate(Map<String, String> environment, String... args) {
        List<String> all = new ArrayList<>(backendArgs());
        all.addAll(List.of(args));
        return raw(environment, all.toArray(String[]::new));
    }

    static Run raw(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> env = new HashMap<>(environment);
        env.putIfAbsent("COLUMNS", "100");
        int code = ErgateCli.run(args, env, out, err);
        return new Run(code, out.toString(), err.toString());
    }

    JobStatus status(String id) {
        return store().find(JobId.of(id)).map(Job::status).orElse(null);
    }

    String submit(int input) {
        Run submitted = ergate("submit", "orders", "--input", Integer.toString(input));
        assertThat(submitted.code()).as(submitted.err()).isZero();
        return submitted.out().trim();
    }

    @Test
    void submitThenShowAndList() {
        String id = submit(4);
        await().atMost(Duration.ofSeconds(20)).until(() -> status(id) == JobStatus.COMPLETED);

        Run shown = ergate("jobs", "show", id, "--json");
        assertThat(shown.code()).isZero();
        assertThat(shown.json().at("/job/status").asText()).isEqualTo("COMPLETED");
        assertThat(shown.json().at("/job/last_return_value").asText()).isEqualTo("ok 8");

        Run human = ergate("jobs", "show", id);
        assertThat(human.out()).contains("status: COMPLETED").contains("last_return_value: ok 8");

        Run listed = ergate("jobs", "list", "--status", "COMPLETED", "--workflow", "orders", "--json", "--all");
        assertThat(listed.code()).isZero();
        List<String> ids = new ArrayList<>();
        listed.json().get("jobs").forEach(j -> ids.add(j.at("/job/id").asText()));
        assertThat(ids).contains(id);

        Run byPrefix = ergate("jobs", "list", "--id", id.substring(0, 8), "--json");
        assertThat(byPrefix.json().get("jobs")).extracting(j -> j.at("/job/id").asText()).contains(id);
        Run recent = ergate("jobs", "list", "--updated-within", "1h", "--json", "--all");
        assertThat(recent.json().get("jobs")).extracting(j -> j.at("/job/id").asText()).contains(id);
        Run stuck = ergate("jobs", "list", "--not-updated-within", "1h", "--json", "--all");
        assertThat(stuck.json().get("jobs")).extracting(j -> j.at("/job/id").asText()).doesNotContain(id);
    }

    @Test
    void tablesFitTheTerminal() {
        for (int i = 0; i < 3; i++) {
            submit(100 + i);
        }
        Run table = ergate(Map.of("COLUMNS", "60"), "jobs", "list");
        assertThat(table.code()).isZero();
        assertThat(table.out().lines()).first().asString().startsWith("ID");
        assertThat(table.out().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(60));
    }

    @Test
    void retryAFailedJobUntilItCompletes() {
        String id = submit(13);
        await().atMost(Duration.ofSeconds(20)).until(() -> status(id) == JobStatus.FAILED);
        Run shown = ergate("jobs", "show", id);
        assertThat(shown.out()).contains("payment declined for 26");

        Run refused = ergate("jobs", "cancel", id);
        assertThat(refused.code()).isEqualTo(ExitCodes.REFUSED);

        failing.set(false);
        Run retried = ergate("jobs", "retry", id);
        assertThat(retried.code()).as(retried.err()).isZero();
        assertThat(retried.out()).contains("queued again");
        await().atMost(Duration.ofSeconds(20)).until(() -> status(id) == JobStatus.COMPLETED);

        assertThat(ergate("jobs", "retry", id).code()).isEqualTo(ExitCodes.REFUSED);
        assertThat(ergate("jobs", "retry", "no-such-job-" + run).code()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void cancelAndDelete() {
        Run submitted = ergate("submit", "orders", "--input", "1", "--delay", "1h", "--id", "later-" + run, "--json");
        assertThat(submitted.json().get("id").asText()).isEqualTo("later-" + run);
        Run cancelled = ergate("jobs", "cancel", "later-" + run, "--json");
        assertThat(cancelled.code()).isZero();
        assertThat(cancelled.json().get("done").asBoolean()).isTrue();
        assertThat(status("later-" + run)).isEqualTo(JobStatus.CANCELLING);

        assertThat(ergate("jobs", "delete", "later-" + run).code()).isZero();
        assertThat(status("later-" + run)).isNull();
        Run gone = ergate("jobs", "show", "later-" + run);
        assertThat(gone.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(gone.err()).contains("no job later-" + run);
    }

    @Test
    void deadLettersListRequeueAndPurge() {
        JobId id = poisoned;
        Run listed = ergate("dead-letters", "list", "--json", "--all");
        assertThat(listed.code()).as(listed.err()).isZero();
        JsonNode mine = null;
        for (JsonNode letter : listed.json().get("deadLetters")) {
            if (id.value().equals(letter.path("jobId").asText())) {
                mine = letter;
            }
        }
        assertThat(mine).as(listed.out()).isNotNull();
        assertThat(mine.get("reason").asText()).contains("poisoned for the CLI test");
        assertThat(ergate(Map.of("COLUMNS", "200"), "dead-letters", "list").out()).contains("poisoned for the CLI test");

        Run requeued = ergate("dead-letters", "requeue", mine.get("id").asText());
        assertThat(requeued.code()).as(requeued.out() + requeued.err()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> status(id.value()) == JobStatus.COMPLETED);
        assertThat(ergate("dead-letters", "requeue", mine.get("id").asText()).code()).isEqualTo(ExitCodes.NOT_FOUND);

        Run purged = ergate("dead-letters", "purge", "--older-than", "0", "--json");
        assertThat(purged.code()).isZero();
        assertThat(purged.json().has("purged")).isTrue();
    }

    @Test
    void statsShowQueueAndJobs() {
        String id = submit(2);
        await().atMost(Duration.ofSeconds(20)).until(() -> status(id) == JobStatus.COMPLETED);
        Run stats = ergate("stats", "--json");
        assertThat(stats.code()).as(stats.err()).isZero();
        assertThat(stats.json().at("/jobs/orders/COMPLETED").asLong()).isPositive();
        assertThat(stats.json().get("queue").has("ready")).isTrue();
        Run human = ergate("stats");
        assertThat(human.out()).contains("Queue:").contains("orders").contains("COMPLETED");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(raw(Map.of(), "stats").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(raw(Map.of(), "stats").err()).contains("name a backend");
        assertThat(raw(Map.of(), "--redis", "redis://x", "--postgres", "postgres://y", "stats").code())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(ergate("jobs", "list", "--status", "DONE").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(ergate("submit", "orders", "--input", "{not json").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(raw(Map.of()).code()).isEqualTo(ExitCodes.USAGE);
        assertThat(raw(Map.of(), "--help").out()).contains("Exit status: 0 done");
    }
}
