package dev.ergate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The command on SQS (an in-process ElasticMQ) with its job store on Redis: jobs work through the
 * store, and what SQS can't do (list its dead-letter queue without receiving it) ends with exit
 * status 5 and says so, instead of showing an empty list.
 */
class SqsCliTest {

    private static SQSRestServer server;
    private static String queue;
    private static final String NAMESPACE = "ergate-test:cli-sqs:" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void start() {
        server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        int port = server.waitUntilStarted().localAddress().getPort();
        queue = "sqs://cli-" + UUID.randomUUID().toString().substring(0, 8) + "?endpoint=http://127.0.0.1:" + port
                + "&credentials=anonymous&create=true";
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stopAndWait();
        }
        RedisCliTest.deleteNamespace(NAMESPACE);
    }

    private static CliScenario.Run ergate(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("--sqs", queue, "--store", RedisCliTest.uri(),
                "--namespace", NAMESPACE));
        all.addAll(List.of(args));
        return CliScenario.raw(Map.of(), all.toArray(String[]::new));
    }

    @Test
    void jobsGoThroughTheStoreAndWhatSqsCantDoIsSaid() {
        RedisCliTest.requireRedis();
        CliScenario.Run submitted = ergate("submit", "orders", "--input", "5");
        assertThat(submitted.code()).as(submitted.err()).isZero();
        String id = submitted.out().trim();
        CliScenario.Run shown = ergate("jobs", "show", id, "--json");
        assertThat(shown.code()).as(shown.err()).isZero();
        assertThat(shown.json().at("/job/status").asText()).isEqualTo("QUEUED");

        CliScenario.Run stats = ergate("stats", "--json");
        assertThat(stats.code()).as(stats.err()).isZero();
        assertThat(stats.json().at("/queue/approximate").asBoolean()).isTrue();

        CliScenario.Run deadLetters = ergate("dead-letters", "list");
        assertThat(deadLetters.code()).isEqualTo(ExitCodes.UNSUPPORTED);
        assertThat(deadLetters.err()).contains("LIST_DEAD_LETTERS");
    }
}
