package dev.ergate.fault;

import dev.ergate.internal.PausePoints;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The worker JVM the fault suite starts, kills (SIGKILL) and stops (SIGTERM). It runs {@link
 * FaultWorkflow} with a real {@link Ergate} worker until killed, or drains on SIGTERM; a shutdown
 * hook marks {@code TERM} in its step log when the signal arrives.
 *
 * <p>Arguments: kind, address, space, store address ({@link BackendSpec}), step log file, lease
 * millis, step millis, concurrency, drain timeout millis, and {@code sleep} or {@code stubborn}
 * (steps that ignore interrupts). With the system property {@value #HEAP_SAMPLE_PROPERTY} set to
 * N, it writes {@code MARK HEAP:<bytes used after a full GC>} to its step log every N ms. With
 * {@value PausePoints#PROPERTY} set, the first thread to reach a named pause point writes
 * {@code MARK PAUSED:<point>:<job id>} and stops there until the test kills the JVM. With
 * {@value #CLOCK_OFFSET_PROPERTY} its clock (Ergate's and the adapters') is that many ms off.
 */
final class FaultWorker {

    static final String HEAP_SAMPLE_PROPERTY = "ergate.fault.heapSampleMillis";
    static final String HEAP_MARK = "HEAP:";
    /** Step-log mark of a thread stopped at a pause point: {@code PAUSED:<point>:<job id>}. */
    static final String PAUSED_MARK = "PAUSED:";
    /**
     * Milliseconds the worker's clock is off (negative: behind), for Ergate and its adapters alike:
     * a skewed host clock. Leases and due times must still come from the backend's clock.
     */
    static final String CLOCK_OFFSET_PROPERTY = "ergate.fault.clockOffsetMillis";
    /** Milliseconds the first step of every job works, when set (the others work the step millis). */
    static final String FIRST_STEP_PROPERTY = "ergate.fault.firstStepMillis";

    private FaultWorker() {
    }

    public static void main(String[] args) throws Exception {
        BackendSpec spec = BackendSpec.fromArgs(args, 0);
        int at = BackendSpec.ARGS;
        Path logFile = Path.of(args[at]);
        Duration lease = Duration.ofMillis(Long.parseLong(args[at + 1]));
        long stepMillis = Long.parseLong(args[at + 2]);
        int concurrency = Integer.parseInt(args[at + 3]);
        Duration drain = Duration.ofMillis(Long.parseLong(args[at + 4]));
        FaultWorkflow.Work chosen = switch (args[at + 5]) {
            case "sleep" -> FaultWorkflow.SLEEP;
            case "stubborn" -> FaultWorkflow.STUBBORN;
            default -> throw new IllegalArgumentException("step work must be sleep or stubborn, not " + args[at + 5]);
        };
        long firstStepMillis = Long.getLong(FIRST_STEP_PROPERTY, -1L);
        FaultWorkflow.Work work = firstStepMillis < 0 ? chosen
                : (jobId, step, millis) -> chosen.work(jobId, step, step == 0 ? firstStepMillis : millis);
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofMillis(Long.getLong(CLOCK_OFFSET_PROPERTY, 0L)));
        StepLog log = new StepLog(logFile);
        // a paused thread says where and on which job in the step log, then waits for its SIGKILL
        PausePoints.handler((point, jobId) -> {
            log.mark(PAUSED_MARK + point + ":" + jobId);
            while (true) {
                LockSupport.park(log);
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> log.mark("TERM"), "mark-term"));
        long heapSampleMillis = Long.getLong(HEAP_SAMPLE_PROPERTY, 0L);
        if (heapSampleMillis > 0) {
            sampleHeap(log, heapSampleMillis);
        }
        FaultBackend backend = spec.open(lease, concurrency + 4, "ergate-fault-worker", clock);
        Ergate worker = Ergate.builder(backend.queue(), backend.store())
                .options(ErgateOptions.builder().concurrency(concurrency).pollTimeout(Duration.ofMillis(500)).clock(clock)
                        .drainTimeout(drain).backendRetryDelays(Duration.ofMillis(50), Duration.ofSeconds(1))
                        .handleSignals(true).build())
                .build();
        worker.registerWorkflow(FaultWorkflow.build(log, stepMillis, null, work, null));
        log.mark("READY");
        worker.run(); // until SIGKILL, or SIGTERM (drains in a shutdown hook)
    }

    /** Every {@code millis}: a full GC, then the heap in use, into the step log (soak runs). */
    private static void sampleHeap(StepLog log, long millis) {
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heap-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleWithFixedDelay(() -> {
            System.gc(); // "heap after GC": what the worker really keeps
            log.mark(HEAP_MARK + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }, millis, millis, TimeUnit.MILLISECONDS);
    }
}
