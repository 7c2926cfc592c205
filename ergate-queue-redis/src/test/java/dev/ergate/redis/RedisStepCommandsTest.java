package dev.ergate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.ergate.Job;
import dev.ergate.JobStatus;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.StepPlan;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisMonitor;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * How many Redis commands a step's script runs: each {@code redis.call} costs Redis about 3,000
 * instructions before the command's own work (BENCHMARKS.md, "Redis: where a step's Redis CPU
 * goes"), so the step path keeps a budget. Counted with MONITOR, which lists the commands a
 * script runs ("[db lua]"), on the standalone Redis only: the count is the scripts', the same on
 * a cluster.
 */
@DisplayName("Redis: the commands a step's finish runs")
class RedisStepCommandsTest {

    private static final Map<String, List<String>> STEPS = Map.of("calls", List.of("only"));
    private static final StepPlan PLAN = () -> STEPS;
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static RedisFixture fixture;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("step-commands");
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    @DisplayName("a finish that completes a job, acks its message and claims and starts the next job runs at most 28 commands")
    void finishBudget() throws Exception {
        Assumptions.assumeFalse(RedisFixture.cluster(), "MONITOR lists one node's commands: counted on the standalone Redis");
        RedisBackend backend = fixture.backend();
        RedisJobQueue queue = backend.queue();
        RedisJobStore store = backend.store();
        assertThat(queue.startOnTake(store, PLAN)).isTrue();
        Job first = job("first");
        Job second = job("second");
        queue.atomicSubmit(store).orElseThrow().submit(List.of(first, second));
        Delivery delivery = queue.take(WAIT).orElseThrow();
        assertThat(delivery.startedState()).as("started by its claim").isNotNull();

        List<String> commands;
        try (Monitor monitor = new Monitor("{" + backend.options().namespace() + "}")) {
            Job done = delivery.startedState().toBuilder().status(JobStatus.COMPLETED).stepsCompleted(1).build();
            queue.atomicStepFinish(store).orElseThrow().finish(delivery, done, null);
            commands = monitor.scriptCommandsUntilNow();
        }

        Delivery next = queue.take(WAIT).orElseThrow();
        assertThat(next.job().id()).isEqualTo(second.id());
        assertThat(next.startedState()).as("claimed and started by the finish").isNotNull();
        assertThat(store.find(first.id()).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
        // 32 before the change measured in BENCHMARKS.md ("Redis: fewer commands per step")
        assertThat(commands).as("commands on the queue's and store's keys").hasSizeLessThanOrEqualTo(28);
        next.ack();
    }

    private static Job job(String id) {
        return Job.builder().id(id).workflowName("calls").status(JobStatus.QUEUED)
                .initialInputValue(TextNode.valueOf("in")).build();
    }

    /** A MONITOR connection of its own, collecting the script commands that name one namespace. */
    private static final class Monitor implements AutoCloseable {
        private final String hashTag;
        private final Jedis connection = new Jedis(URI.create(RedisFixture.uri()));
        private final Jedis probe = new Jedis(URI.create(RedisFixture.uri()));
        private final List<String> seen = new ArrayList<>();
        private final Thread reader;

        Monitor(String hashTag) throws InterruptedException {
            this.hashTag = hashTag;
            reader = new Thread(() -> {
                try {
                    connection.monitor(new JedisMonitor() {
                        @Override
                        public void onCommand(String command) {
                            synchronized (seen) {
                                seen.add(command);
                                seen.notifyAll();
                            }
                        }
                    });
                } catch (JedisConnectionException closed) {
                    // close() ends the monitor
                }
            }, "monitor");
            reader.setDaemon(true);
            reader.start();
            awaitMarker("ready"); // from here on every command is seen
            synchronized (seen) {
                seen.clear();
            }
        }

        /** {@return the script commands naming the namespace, up to a marker sent now} */
        List<String> scriptCommandsUntilNow() throws InterruptedException {
            awaitMarker("done"); // MONITOR lists commands in the order Redis ran them
            synchronized (seen) {
                return seen.stream().filter(line -> line.contains(" lua] ") && line.contains(hashTag)).toList();
            }
        }

        private void awaitMarker(String name) throws InterruptedException {
            String marker = hashTag + ":monitor-" + name;
            Instant deadline = Instant.now().plus(WAIT);
            synchronized (seen) {
                while (seen.stream().noneMatch(line -> line.contains(marker))) {
                    probe.exists(marker);
                    long left = Duration.between(Instant.now(), deadline).toMillis();
                    assertThat(left).as("MONITOR lists " + marker).isPositive();
                    seen.wait(Math.min(left, 100));
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            probe.close();
            connection.close();
            reader.join(WAIT.toMillis());
        }
    }
}
