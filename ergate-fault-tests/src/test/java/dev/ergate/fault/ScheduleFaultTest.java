package dev.ergate.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ergate.redis.RedisBackend;
import dev.ergate.redis.RedisOptions;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.runtime.schedule.MissedTicks;
import dev.ergate.runtime.schedule.Schedule;
import dev.ergate.runtime.schedule.Scheduler;
import dev.ergate.testbackends.TestBackends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;

/**
 * Three scheduler processes on one Redis namespace fire a 1-second interval schedule while one of
 * them is SIGKILLed at a random time (and started again): every tick of the run gives exactly one
 * job. 20 seconds in the short (CI) scale, 2 minutes with {@code -Pfault-long}.
 */
@DisplayName("Schedules: three scheduler processes, one SIGKILLed, every tick exactly once")
class ScheduleFaultTest {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleFaultTest.class);

    @Test
    void everyTickExactlyOnce() throws Exception {
        Duration run = FaultScale.current() == FaultScale.LONG ? Duration.ofMinutes(2) : Duration.ofSeconds(20);
        String uri = TestBackends.redis().url();
        String namespace = "ergate-fault-schedule-" + UUID.randomUUID().toString().substring(0, 8);
        Path dir = Files.createTempDirectory("ergate-schedule-fault");
        List<Process> processes = new ArrayList<>();
        try (RedisBackend redis = RedisBackend.connect(RedisOptions.builder().uri(uri).namespace(namespace).build())) {
            ErgateClient client = ErgateClient.builder(redis.queue()).store(redis.store())
                    .scheduleStore(redis.schedules()).build();
            client.schedules().save(Schedule.every("beat", Duration.ofSeconds(1)).workflow("ping")
                    .missedTicks(MissedTicks.catchUp(100)).build());
            Instant from = Instant.now();
            for (int i = 0; i < 3; i++) {
                processes.add(start(dir, uri, namespace, "scheduler-" + i));
            }
            long killAt = System.nanoTime() + ThreadLocalRandom.current().nextLong(run.toNanos() / 4, run.toNanos() / 2);
            long end = System.nanoTime() + run.toNanos();
            int victim = ThreadLocalRandom.current().nextInt(3);
            await().atMost(run.plusSeconds(30)).until(() -> System.nanoTime() >= killAt);
            processes.get(victim).destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            LOG.info("SIGKILLed scheduler-{}", victim);
            processes.set(victim, start(dir, uri, namespace, "scheduler-" + victim + "-again"));
            await().atMost(run.plusSeconds(30)).until(() -> System.nanoTime() >= end);
            Instant to = Instant.now().minusSeconds(5);   // ticks older than the claim lease are settled

            Map<String, Integer> messages = messagesPerJob(uri, "{" + namespace + "}:queue:"
                    + dev.ergate.redis.RedisQueueOptions.defaults().name() + ":msgs");
            List<Instant> expected = new ArrayList<>();
            for (Instant t = Instant.ofEpochSecond(from.getEpochSecond() + 1); !t.isAfter(to); t = t.plusSeconds(1)) {
                expected.add(t);
            }
            for (Instant tick : expected) {
                String id = Scheduler.jobId("beat", tick).value();
                assertThat(redis.store().find(Scheduler.jobId("beat", tick))).as("the job of tick %s", tick).isPresent();
                assertThat(messages.getOrDefault(id, 0)).as("messages of tick %s", tick).isBetween(1, 2);
            }
            long doubled = messages.values().stream().filter(n -> n > 1).count();
            LOG.info("schedule fault run of {}: {} ticks, {} jobs, {} queued twice", run, expected.size(),
                    messages.size(), doubled);
            assertThat(doubled).as("at most one tick per kill queued twice (a kill between put and claim end)")
                    .isLessThanOrEqualTo(1);
        } finally {
            for (Process process : processes) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            RedisFaultBackend.dropNamespace(uri, namespace);
        }
    }

    private static Process start(Path dir, String uri, String namespace, String owner) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                ScheduleProcessMain.class.getName(), uri, namespace, owner);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(owner + ".log").toFile())
                .start();
    }

    /** Counts the queue's messages per job id, reading the bodies as another program would. */
    private static Map<String, Integer> messagesPerJob(String uri, String msgsKey) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, Integer> counts = new HashMap<>();
        java.net.URI parsed = java.net.URI.create(uri);
        try (Jedis raw = new Jedis(parsed.getHost(), parsed.getPort() < 0 ? 6379 : parsed.getPort())) {
            for (String body : raw.hvals(msgsKey)) {
                JsonNode job = mapper.readTree(body);
                counts.merge(job.path("id").asText(), 1, Integer::sum);
            }
        }
        return counts;
    }
}
