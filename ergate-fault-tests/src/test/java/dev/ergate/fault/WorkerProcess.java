package dev.ergate.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link FaultWorker} JVM: started with the test's class path, killed with SIGKILL
 * ({@link #kill()}) or stopped with SIGTERM ({@link #terminate()}). Its output goes to
 * {@code <dir>/<name>.log}, its step log to {@code <dir>/<name>.steps}. Not thread-safe.
 */
final class WorkerProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerProcess.class);

    private final String name;
    private final Process process;
    private final long startedAt = System.currentTimeMillis();

    private WorkerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    static WorkerProcess start(Path dir, String name, BackendSpec spec, long leaseMillis, long stepMillis,
            int concurrency, long drainMillis) throws IOException {
        return start(dir, name, spec, leaseMillis, stepMillis, concurrency, drainMillis, "sleep", List.of());
    }

    /**
     * @param work {@code sleep}, or {@code stubborn} for steps that ignore interrupts
     * @param jvmOptions more options for the worker JVM (system properties)
     */
    static WorkerProcess start(Path dir, String name, BackendSpec spec, long leaseMillis, long stepMillis,
            int concurrency, long drainMillis, String work, List<String> jvmOptions) throws IOException {
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx192m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(FaultWorker.class.getName());
        command.addAll(List.of(spec.toArgs()));
        command.add(dir.resolve(name + ".steps").toAbsolutePath().toString());
        command.add(Long.toString(leaseMillis));
        command.add(Long.toString(stepMillis));
        command.add(Integer.toString(concurrency));
        command.add(Long.toString(drainMillis));
        command.add(work);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
        LOG.info("started worker {} (pid {})", name, process.pid());
        return new WorkerProcess(name, process);
    }

    String name() {
        return name;
    }

    long startedAt() {
        return startedAt;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, then waits for the process to be gone. @return when it was killed (epoch ms) */
    long kill() throws InterruptedException {
        long at = System.currentTimeMillis();
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("worker " + name + " survived SIGKILL for 30 s");
        }
        return at;
    }

    /** SIGTERM. @return when it was sent (epoch ms) */
    long terminate() {
        long at = System.currentTimeMillis();
        process.destroy();
        return at;
    }

    /** @return the exit code, or empty if it did not exit within {@code timeout} */
    java.util.OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                ? java.util.OptionalInt.of(process.exitValue()) : java.util.OptionalInt.empty();
    }

    /** Kills the process if it still runs (for clean-up). */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
