package dev.ergate.fault;

import dev.ergate.runtime.RetryPolicy;
import dev.ergate.runtime.StepOptions;
import dev.ergate.runtime.Workflow;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The 3-step workflow every fault run uses: n -> n*10 -> +1 -> *2. Each step records its start
 * and end in a {@link StepLog} and works for a while in between, the window a fault lands in.
 */
final class FaultWorkflow {

    static final String NAME = "fault";
    static final String[] STEPS = {"times-ten", "plus-one", "double"};

    /** How a step spends its time. */
    @FunctionalInterface
    interface Work {
        /** Works for about {@code millis} on step {@code step} of job {@code jobId}. */
        void work(String jobId, int step, long millis) throws InterruptedException;
    }

    /** Sleeps: an interrupt (step timeout, drain cut-off) ends the step at once. */
    static final Work SLEEP = (jobId, step, millis) -> Thread.sleep(millis);

    /**
     * Ignores interrupts until its time is up, as a step stuck in a busy loop or in I/O that
     * can't be interrupted does (it parks instead of spinning, so it costs no CPU).
     */
    static final Work STUBBORN = (jobId, step, millis) -> {
        long end = System.nanoTime() + millis * 1_000_000;
        for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left); // returns early on an interrupt: ignored, parks again
        }
    };

    private FaultWorkflow() {
    }

    /** @return the result a job with input {@code n} must end with */
    static int expected(int n) {
        return (n * 10 + 1) * 2;
    }

    /**
     * @param log where executions are recorded
     * @param stepMillis how long each step works
     * @param timeout a step timeout for every step, or null for none
     */
    static Workflow build(StepLog log, long stepMillis, @Nullable Duration timeout) {
        return build(log, stepMillis, timeout, SLEEP, null);
    }

    /**
     * @param log where executions are recorded
     * @param stepMillis how long each step works
     * @param timeout a step timeout for every step, or null for none
     * @param work how a step spends its time
     * @param retry the retry policy of every step, or null for none
     */
    static Workflow build(StepLog log, long stepMillis, @Nullable Duration timeout, Work work,
            @Nullable RetryPolicy retry) {
        return build(NAME, log, stepMillis, timeout, work, retry);
    }

    /** As {@link #build(StepLog, long, Duration, Work, RetryPolicy)}, under another workflow name. */
    static Workflow build(String name, StepLog log, long stepMillis, @Nullable Duration timeout, Work work,
            @Nullable RetryPolicy retry) {
        StepOptions options = StepOptions.builder().timeout(timeout).retryPolicy(retry).build();
        return Workflow.builder(name)
                .step(STEPS[0], Integer.class, (n, ctx) -> run(log, work, ctx.job().id().toString(), 0, stepMillis,
                        n * 10), options)
                .step(STEPS[1], Integer.class, (n, ctx) -> run(log, work, ctx.job().id().toString(), 1, stepMillis,
                        n + 1), options)
                .step(STEPS[2], Integer.class, (n, ctx) -> run(log, work, ctx.job().id().toString(), 2, stepMillis,
                        n * 2), options)
                .build();
    }

    private static int run(StepLog log, Work work, String jobId, int step, long stepMillis, int result)
            throws InterruptedException {
        log.started(jobId, STEPS[step]);
        work.work(jobId, step, stepMillis); // the window in which faults land
        log.ended(jobId, STEPS[step]);
        return result;
    }
}
