package dev.ergate.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** SIGTERM to a worker process drains the running step, writes its state, and closes the lifespan. */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "Process.destroy() is not SIGTERM on Windows")
class SignalShutdownTest {

    @Test
    void sigtermDrainsTheRunningStepAndWritesItsState() throws Exception {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", SignalMain.class.getName())
                .redirectErrorStream(true)
                .start();
        List<String> lines = new CopyOnWriteArrayList<>();
        CountDownLatch stepStarted = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                    if (line.equals("STEP STARTED")) {
                        stepStarted.countDown();
                    }
                }
            } catch (java.io.IOException e) {
                lines.add("READ FAILED " + e);
            }
        });
        reader.start();
        try {
            assertThat(stepStarted.await(60, TimeUnit.SECONDS)).as("child output: %s", lines).isTrue();
            // SIGTERM; Process.destroy() would also close our end of its output
            assertThat(process.toHandle().destroy()).isTrue();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child exits").isTrue();
            reader.join(10_000);
        } finally {
            process.destroyForcibly();
        }
        List<String> events = lines.stream().filter(l -> l.matches("[A-Z ]+")).toList();
        assertThat(events).as("child output: %s", lines).containsSubsequence(
                "LIFESPAN START", "UPDATE RUNNING", "STEP STARTED", "STEP FINISHED", "UPDATE QUEUED", "LIFESPAN STOP");
        assertThat(events).doesNotContain("UPDATE COMPLETED");
    }
}
