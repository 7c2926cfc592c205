package dev.ergate.runtime;

import dev.ergate.Job;
import java.util.Objects;

/**
 * The step an {@link StepInterceptor} wraps.
 *
 * @param job the job as it runs: status RUNNING, {@code step_name} set, id present
 * @param step the step's name
 * @param attempt the attempt of this step, from 1
 */
public record StepInvocation(Job job, String step, int attempt) {

    /** Checks the components. */
    public StepInvocation {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(step, "step");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1, got " + attempt);
        }
    }

    /** {@return the job's workflow name} */
    public String workflow() {
        return job.workflowName();
    }

    /** {@return the job's id as text} */
    public String jobId() {
        return String.valueOf(job.id());
    }
}
