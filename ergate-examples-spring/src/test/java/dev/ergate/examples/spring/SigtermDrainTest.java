package dev.ergate.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.redis.RedisBackend;
import dev.ergate.redis.RedisOptions;
import dev.ergate.runtime.ErgateClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * SIGTERM to the sample application (a child JVM on Redis) lets the steps it is running finish
 * and records their results before the JVM exits, and starts no new step.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "Process.destroy() is not SIGTERM on Windows")
class SigtermDrainTest {

    @Test
    void sigtermDrainsTheRunningStepsAndRecordsThem() throws Exception {
        String uri = SampleServices.redisUri();
        String namespace = SampleServices.randomName("sample-sigterm-");
        Process app = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                OrderApplication.class.getName(),
                "--spring.profiles.active=redis", "--ergate.redis.uri=" + uri, "--ergate.redis.namespace=" + namespace,
                "--server.port=0", "--ergate.dashboard.port=0", "--sample.step-time=2s", "--ergate.worker.concurrency=2",
                "--ergate.worker.poll-timeout=200ms", "--spring.main.banner-mode=off")
                .redirectErrorStream(true)
                .start();
        List<String> lines = new CopyOnWriteArrayList<>();
        CountDownLatch ready = new CountDownLatch(1);
        CountDownLatch bothStarted = new CountDownLatch(2);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                    if (line.contains("Ergate worker started")) {
                        ready.countDown();
                    }
                    if (line.contains("step validate started")) {
                        bothStarted.countDown();
                    }
                }
            } catch (java.io.IOException e) {
                lines.add("READ FAILED " + e);
            }
        });
        reader.start();
        try (RedisBackend redis = RedisBackend.connect(RedisOptions.fromUri(uri).toBuilder().namespace(namespace).build())) {
            ErgateClient client = ErgateClient.builder(redis.queue()).store(redis.store()).build();
            try {
                assertThat(ready.await(90, TimeUnit.SECONDS)).as("the app starts: %s", lines).isTrue();
                JobId first = client.submit("orders", new Order("o-1", "book", 1));
                JobId second = client.submit("orders", new Order("o-2", "pen", 3));
                assertThat(bothStarted.await(30, TimeUnit.SECONDS)).as("both steps start: %s", lines).isTrue();

                assertThat(app.toHandle().destroy()).isTrue(); // SIGTERM
                assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("the app exits: %s", lines).isTrue();
                reader.join(10_000);

                assertThat(lines.stream().filter(l -> l.contains("step validate finished")).count())
                        .as("both running steps finished: %s", lines).isEqualTo(2);
                assertThat(lines).as("no step started after the stop").noneMatch(l -> l.contains("step reserve started"));
                for (JobId id : List.of(first, second)) {
                    Job job = client.find(id).orElseThrow();
                    assertThat(job.stepsCompleted()).as("job %s", id).isEqualTo(1);
                    assertThat(job.status()).as("job %s", id).isEqualTo(JobStatus.QUEUED); // waiting for its next step
                }
            } finally {
                app.destroyForcibly();
                redis.queue().close();
                SampleServices.deleteRedisNamespace(uri, namespace);
            }
        }
    }
}
