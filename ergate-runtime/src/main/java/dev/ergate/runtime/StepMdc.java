package dev.ergate.runtime;

import dev.ergate.Job;
import dev.ergate.JobId;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Puts the job's MDC keys ({@value #JOB_ID}, {@value #WORKFLOW}, {@value #STEP}, {@value
 * #ATTEMPT}) on the current thread and restores what was there before. One per thread that uses
 * it (a worker thread keeps its own); four puts and four removes or restores a step, no other work.
 */
final class StepMdc {

    static final String JOB_ID = "ergate.job_id";
    static final String WORKFLOW = "ergate.workflow";
    static final String STEP = "ergate.step";
    static final String ATTEMPT = "ergate.attempt";

    /** Attempt numbers as text, so the common ones cost no allocation. */
    private static final String[] ATTEMPTS = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"};

    /** False when the worker was built with MDC off: every method does nothing. */
    private final boolean on;
    private @Nullable String previousJobId;
    private @Nullable String previousWorkflow;
    private @Nullable String previousStep;
    private @Nullable String previousAttempt;
    /** The job id value {@link #enter} set, so {@link #step} sets it again only when it changed (an id just assigned). */
    private @Nullable String jobId;

    StepMdc() {
        this(true);
    }

    StepMdc(boolean on) {
        this.on = on;
    }

    /** Sets the job's id and workflow (its step and attempt are not known yet), saving what was there. */
    void enter(Job job) {
        if (!on) {
            return;
        }
        previousJobId = MDC.get(JOB_ID);
        previousWorkflow = MDC.get(WORKFLOW);
        previousStep = MDC.get(STEP);
        previousAttempt = MDC.get(ATTEMPT);
        JobId id = job.id();
        jobId = id == null ? null : id.value();
        set(JOB_ID, jobId);
        MDC.put(WORKFLOW, job.workflowName());
    }

    /** Sets the step about to run (and the job's id, which may have just been assigned). */
    void step(Job running, String step, int attempt) {
        if (!on) {
            return;
        }
        JobId id = running.id();
        String value = id == null ? null : id.value();
        if (value == null || !value.equals(jobId)) {
            jobId = value;
            set(JOB_ID, value);
        }
        MDC.put(STEP, step);
        MDC.put(ATTEMPT, attempt >= 0 && attempt < ATTEMPTS.length ? ATTEMPTS[attempt] : Integer.toString(attempt));
    }

    /** Sets all four keys for one step, saving what was there. */
    void enter(Job running, String step, int attempt) {
        enter(running);
        step(running, step, attempt);
    }

    /** Restores the values saved by {@link #enter}. */
    void exit() {
        if (!on) {
            return;
        }
        set(JOB_ID, previousJobId);
        set(WORKFLOW, previousWorkflow);
        set(STEP, previousStep);
        set(ATTEMPT, previousAttempt);
        previousJobId = null;
        previousWorkflow = null;
        previousStep = null;
        previousAttempt = null;
        jobId = null;
    }

    private static void set(String key, @Nullable String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
