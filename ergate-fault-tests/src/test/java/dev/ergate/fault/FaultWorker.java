package dev.ergate.fault;

import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateOptions;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The worker JVM the fault suite starts, kills (SIGKILL) and stops (SIGTERM). It runs {@link
 * FaultWorkflow} with a real {@link Ergate} worker until killed, or drains on SIGTERM; a shutdown
 * hook marks {@code TERM} in its step log when the signal arrives.
 *
 * <p>Arguments: kind, address, space ({@link BackendSpec}), step log file, lease millis, step
 * millis, concurrency, drain timeout millis.
 */
final class FaultWorker {

    private FaultWorker() {
    }

    public static void main(String[] args) throws Exception {
        BackendSpec spec = BackendSpec.fromArgs(args, 0);
        Path logFile = Path.of(args[3]);
        Duration lease = Duration.ofMillis(Long.parseLong(args[4]));
        long stepMillis = Long.parseLong(args[5]);
        int concurrency = Integer.parseInt(args[6]);
        Duration drain = Duration.ofMillis(Long.parseLong(args[7]));
        StepLog log = new StepLog(logFile);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> log.mark("TERM"), "mark-term"));
        FaultBackend backend = spec.open(lease, concurrency + 4, "ergate-fault-worker");
        Ergate worker = Ergate.builder(backend.queue(), backend.store())
                .options(ErgateOptions.builder().concurrency(concurrency).pollTimeout(Duration.ofMillis(500))
                        .drainTimeout(drain).backendRetryDelays(Duration.ofMillis(50), Duration.ofSeconds(1))
                        .handleSignals(true).build())
                .build();
        worker.registerWorkflow(FaultWorkflow.build(log, stepMillis, null));
        log.mark("READY");
        worker.run(); // until SIGKILL, or SIGTERM (drains in a shutdown hook)
    }
}
