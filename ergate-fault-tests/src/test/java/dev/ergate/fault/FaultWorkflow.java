package dev.ergate.fault;

import dev.ergate.runtime.StepOptions;
import dev.ergate.runtime.Workflow;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The 3-step workflow every fault run uses: n -> n*10 -> +1 -> *2. Each step records its start
 * and end in a {@link StepLog} and works for a while in between, the window a fault lands in.
 */
final class FaultWorkflow {

    static final String NAME = "fault";
    static final String[] STEPS = {"times-ten", "plus-one", "double"};

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
        StepOptions options = StepOptions.builder().timeout(timeout).build();
        return Workflow.builder(NAME)
                .step(STEPS[0], Integer.class, (n, ctx) -> work(log, ctx.job().id().toString(), 0, stepMillis, n * 10),
                        options)
                .step(STEPS[1], Integer.class, (n, ctx) -> work(log, ctx.job().id().toString(), 1, stepMillis, n + 1),
                        options)
                .step(STEPS[2], Integer.class, (n, ctx) -> work(log, ctx.job().id().toString(), 2, stepMillis, n * 2),
                        options)
                .build();
    }

    private static int work(StepLog log, String jobId, int step, long stepMillis, int result)
            throws InterruptedException {
        log.started(jobId, STEPS[step]);
        Thread.sleep(stepMillis); // the step's "work": the window in which faults land
        log.ended(jobId, STEPS[step]);
        return result;
    }
}
