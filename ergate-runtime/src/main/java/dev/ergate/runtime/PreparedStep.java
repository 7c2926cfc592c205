package dev.ergate.runtime;

import dev.ergate.Job;
import org.jspecify.annotations.Nullable;

/**
 * What {@link JobRunner#prepare} decided for one job: either an outcome reached without running
 * anything (already final, cancelled, unknown workflow or step), or the step to run and the
 * job's RUNNING state, to record before {@link JobRunner#execute} runs it. Immutable.
 */
public final class PreparedStep {

    private final @Nullable StepResult decided;
    private final @Nullable Workflow workflow;
    private final @Nullable StepDefinition step;
    private final @Nullable Job running;
    private final int attempt;
    private final long queueWaitNanos;
    /** The decided outcome fails the job because its workflow or step is not registered here. */
    private final boolean unknownWork;

    private PreparedStep(@Nullable StepResult decided, @Nullable Workflow workflow, @Nullable StepDefinition step,
            @Nullable Job running, int attempt, long queueWaitNanos) {
        this(decided, workflow, step, running, attempt, queueWaitNanos, false);
    }

    private PreparedStep(@Nullable StepResult decided, @Nullable Workflow workflow, @Nullable StepDefinition step,
            @Nullable Job running, int attempt, long queueWaitNanos, boolean unknownWork) {
        this.unknownWork = unknownWork;
        this.decided = decided;
        this.workflow = workflow;
        this.step = step;
        this.running = running;
        this.attempt = attempt;
        this.queueWaitNanos = queueWaitNanos;
    }

    static PreparedStep decided(StepResult outcome) {
        return new PreparedStep(outcome, null, null, null, 0, 0);
    }

    /** A FAILED outcome because the job's workflow or step is not registered on this worker. */
    static PreparedStep unknown(StepResult failed) {
        return new PreparedStep(failed, null, null, null, 0, 0, true);
    }

    /** The same step with another RUNNING state (one that counts its starts). */
    PreparedStep withRunning(Job newRunning) {
        return new PreparedStep(decided, workflow, step, newRunning, attempt, queueWaitNanos, unknownWork);
    }

    static PreparedStep toRun(Workflow workflow, StepDefinition step, Job running, int attempt, long queueWaitNanos) {
        return new PreparedStep(null, workflow, step, running, attempt, queueWaitNanos);
    }

    /** {@return true when a step is to run; false when the outcome was decided without running one} */
    public boolean runs() {
        return decided == null;
    }

    /**
     * {@return true when the outcome is FAILED because the job's workflow or step is not registered
     * on this worker (a worker of an older release in a rolling deploy): the worker gives such a
     * job back for a while before failing it}
     */
    public boolean unknownWork() {
        return unknownWork;
    }

    /** {@return true when the job was already final: nothing to run or write, only an ack} */
    public boolean skipped() {
        return decided != null && decided.outcome() == StepResult.Outcome.SKIPPED;
    }

    /**
     * {@return the outcome decided without running a step}
     *
     * @throws IllegalStateException when a step is to run ({@link #runs()})
     */
    public StepResult outcome() {
        if (decided == null) {
            throw new IllegalStateException("step '" + stepName() + "' of job " + job().id()
                    + " is to run: its outcome comes from JobRunner.execute");
        }
        return decided;
    }

    /**
     * {@return the job's RUNNING state, with id and {@code step_name} set, to record before the
     * step runs}
     *
     * @throws IllegalStateException when no step is to run
     */
    public Job running() {
        return job();
    }

    /** {@return the name of the step to run} @throws IllegalStateException when no step is to run */
    public String stepName() {
        return definition().name;
    }

    /** {@return the attempt of the step to run, from 1} @throws IllegalStateException when no step is to run */
    public int attempt() {
        job();
        return attempt;
    }

    Workflow workflow() {
        Workflow w = workflow;
        if (w == null) {
            throw notToRun();
        }
        return w;
    }

    StepDefinition definition() {
        StepDefinition s = step;
        if (s == null) {
            throw notToRun();
        }
        return s;
    }

    long queueWaitNanos() {
        return queueWaitNanos;
    }

    private Job job() {
        Job job = running;
        if (job == null) {
            throw notToRun();
        }
        return job;
    }

    private IllegalStateException notToRun() {
        return new IllegalStateException("no step is to run: the job's outcome was decided as " + decided);
    }

    @Override
    public String toString() {
        return running == null ? "PreparedStep[" + decided + "]"
                : "PreparedStep[run '" + stepName() + "', attempt " + attempt + ", " + running + "]";
    }
}
