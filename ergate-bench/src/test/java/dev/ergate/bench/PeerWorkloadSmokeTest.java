package dev.ergate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code java -jar ergate-bench.jar peer ...} with tiny sizes on each backend, so the
 * command {@code ../shared/peers/run.sh} runs can't rot (memory, Redis, the Redis Cluster, PostgreSQL; SQS runs the same code
 * and is left out to keep the build fast): exit status 0, the peers' RESULT line
 * with the label, N and C given, and every job found COMPLETED in the store (the command checks
 * that and prints it on its DETAIL line). No speed is asserted.
 */
class PeerWorkloadSmokeTest {

    private static final String NUMBER = "[0-9]+\\.[0-9]";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private String run(String... args) {
        int status = BenchMain.runPeer(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), System.getenv());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(printed + err.toString(StandardCharsets.UTF_8)).isZero();
        return printed;
    }

    private static String[] args(String backend, String... more) {
        List<String> all = new ArrayList<>(List.of("--backend", backend, "--jobs", "60", "--concurrency", "2",
                "--timeout-seconds", "60"));
        switch (backend) {
            case "redis" -> all.addAll(List.of("--redis-url", LocalBackends.redis().toString()));
            case "redis-cluster" -> {
                all.set(1, "redis");
                all.addAll(List.of("--redis-url", LocalBackends.redisCluster()));
            }
            case "postgres" -> all.addAll(List.of("--postgres-url", LocalBackends.postgres()));
            default -> { }
        }
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static void assertPeerLines(String printed, String label, int steps) {
        String result = "RESULT peer=" + label + " n=60 c=2 enqueue_per_s=" + NUMBER + " process_per_s=" + NUMBER
                + (steps == 1 ? "" : " steps=" + steps + " jobs_per_s=" + NUMBER);
        assertThat(printed.lines()).anyMatch(line -> line.matches(result));
        assertThat(printed).contains("DETAIL peer=" + label + " ", "handlers_run=" + 60 * steps,
                "completed_in_store=60 of 60");
    }

    @Test
    void memory() {
        assertPeerLines(run(args("memory")), "ergate-memory", 1);
    }

    @Test
    void memoryThreeStepsInBatches() {
        assertPeerLines(run(args("memory", "--steps", "3", "--batch", "--batch-size", "7")),
                "ergate-memory-batch-3steps", 3);
    }

    @Test
    void redis() {
        assertPeerLines(run(args("redis")), "ergate-redis", 1);
    }

    @Test
    void redisInBatches() {
        assertPeerLines(run(args("redis", "--batch", "--batch-size", "25")), "ergate-redis-batch", 1);
    }

    @Test
    void redisCluster() {
        assertPeerLines(run(args("redis-cluster")), "ergate-redis", 1);
    }

    @Test
    void postgres() {
        assertPeerLines(run(args("postgres")), "ergate-postgres", 1);
    }

    @Test
    void postgresThreeStepsInBatches() {
        assertPeerLines(run(args("postgres", "--steps", "3", "--batch", "--batch-size", "25")),
                "ergate-postgres-batch-3steps", 3);
    }

    @Test
    void badCommandLineExitsTwoNamingTheOption() {
        int status = BenchMain.runPeer(new String[] {"--backend", "memory-objects"}, new PrintStream(out),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("memory-objects has no peer workload");
    }
}
