package dev.ergate.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Worker JVMs ({@link CrashWorkerMain}) killed with SIGKILL in the middle of a step, several
 * times; then one more worker finishes. Every job must end COMPLETED with the right result,
 * none lost, and the steps run again because of the kills must be at most one per kill.
 *
 * <p>The queue is FIFO: its deduplication id (job, step, attempt) also absorbs a kill between
 * "put the next step" and "ack this one", so one kill repeats one step, never the rest of a job.
 */
@DisplayName("workers killed with SIGKILL mid-step lose no job")
@Isolated("starts worker JVMs; runs alone so its timing does not depend on the other test classes")
class SqsCrashTest {

    private static final int JOBS = 12;
    private static final int KILLS = 3;
    private static final long STEP_MILLIS = 300;
    private static final List<String> STEPS = List.of("one", "two", "three");

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    @DisplayName("every job completes, none lost, at most one repeated step per kill")
    void killedWorkers(@TempDir Path dir) throws Exception {
        String url = SqsTestBackend.newFifoQueue("crash");
        Path stateDir = Files.createDirectories(dir.resolve("state"));
        try (SqsJobQueue producer = SqsJobQueue.builder().client(SqsTestBackend.client()).queueUrl(url).build()) {
            for (int i = 0; i < JOBS; i++) {
                producer.put(Job.builder().workflowName("crash").id(JobId.of("crash-" + i))
                        .initialInputValue(IntNode.valueOf(i)).build());
            }
        }
        List<Path> logs = new ArrayList<>();
        for (int k = 0; k < KILLS; k++) {
            Path log = dir.resolve("run-" + k + ".log");
            logs.add(log);
            Process worker = startWorker(url, stateDir, log, dir.resolve("worker-" + k + ".out"));
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                    .until(() -> midStepAfterProgress(log));
            worker.destroyForcibly();
            assertThat(worker.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        Path last = dir.resolve("run-final.log");
        logs.add(last);
        Process finisher = startWorker(url, stateDir, last, dir.resolve("worker-final.out"));
        FileStateStore store = new FileStateStore(stateDir);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> completed(store) == JOBS);
        // the last step's ack follows its state write: let it land before the finisher goes
        await().atMost(Duration.ofSeconds(10)).until(() -> QueueFixture.total(url) == 0);
        finisher.destroyForcibly();

        for (int i = 0; i < JOBS; i++) {
            Job done = store.find(JobId.of("crash-" + i)).orElseThrow();
            assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(done.lastReturnValue().intValue()).isEqualTo((i + 1) * 10 + 5);
        }
        Map<String, Integer> starts = new HashMap<>();
        for (Path log : logs) {
            for (String line : lines(log)) {
                if (line.startsWith("start ")) {
                    starts.merge(line.substring("start ".length()), 1, Integer::sum);
                }
            }
        }
        for (int i = 0; i < JOBS; i++) {
            for (String step : STEPS) {
                assertThat(starts).as("runs of step %s of job crash-%d", step, i).containsKey("crash-" + i + " " + step);
            }
        }
        int repeats = starts.values().stream().mapToInt(n -> n - 1).sum();
        assertThat(repeats).as("steps run again after the %d kills", KILLS).isBetween(1, KILLS);
    }

    private Process startWorker(String url, Path stateDir, Path log, Path out) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"),
                CrashWorkerMain.class.getName(),
                SqsTestBackend.endpoint().toString(), url, stateDir.toString(), log.toString(),
                Long.toString(STEP_MILLIS))
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    /** The worker (one thread) is inside a step, and has finished at least two steps. */
    private static boolean midStepAfterProgress(Path log) throws IOException {
        List<String> lines = lines(log);
        long ends = lines.stream().filter(l -> l.startsWith("end ")).count();
        return ends >= 2 && !lines.isEmpty() && lines.get(lines.size() - 1).startsWith("start ");
    }

    private static List<String> lines(Path log) throws IOException {
        if (!Files.exists(log)) {
            return List.of();
        }
        String text = Files.readString(log);
        int complete = text.lastIndexOf('\n');
        return complete < 0 ? List.of() : List.of(text.substring(0, complete).split("\n"));
    }

    private static int completed(FileStateStore store) {
        int done = 0;
        for (int i = 0; i < JOBS; i++) {
            if (store.find(JobId.of("crash-" + i)).map(j -> j.status() == JobStatus.COMPLETED).orElse(false)) {
                done++;
            }
        }
        return done;
    }

}
