package dev.ergate.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ergate.Job;
import dev.ergate.JobStatus;
import java.lang.invoke.MethodHandles;
import org.jspecify.annotations.Nullable;

/**
 * The two changed copies the runtime makes of a job on every step (its RUNNING state, and its
 * state after the step), made without a {@link Job.Builder}: each is exactly what the builder
 * calls named on the methods would build, but a builder per copy is an object the JIT does not
 * remove (its methods are too large to inline into the runtime's), and these run twice a step.
 * Not API. Implemented by {@link Job}, which installs it when it is initialised.
 */
public final class JobSteps {

    /** What {@link Job} implements. */
    public interface Access {
        /** See {@link JobSteps#running}. */
        Job running(Job job, String stepName, String extraName, JsonNode extraValue);

        /** See {@link JobSteps#afterStep}. */
        Job afterStep(Job running, JobStatus status, int stepsCompleted, double percentCompleted,
                JsonNode lastReturnValue, String name0, @Nullable JsonNode value0, String name1,
                @Nullable JsonNode value1, String name2, @Nullable JsonNode value2, String name3,
                @Nullable JsonNode value3);
    }

    private static volatile @Nullable Access access;

    private JobSteps() {
    }

    /**
     * Called once, by {@link Job}'s class initialiser.
     *
     * @param implementation the implementation
     * @throws IllegalStateException if one is installed already
     */
    public static synchronized void install(Access implementation) {
        if (access != null) {
            throw new IllegalStateException("JobSteps is installed already");
        }
        access = implementation;
    }

    private static Access access() {
        Access installed = access;
        if (installed == null) {
            try {
                MethodHandles.lookup().ensureInitialized(Job.class);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            installed = java.util.Objects.requireNonNull(access, "Job installs JobSteps");
        }
        return installed;
    }

    /**
     * {@return as {@code job.toBuilder().status(RUNNING).stepName(stepName).extraField(extraName,
     * extraValue).build()}}
     *
     * @param extraName an extra field's name (not a known field's)
     */
    public static Job running(Job job, String stepName, String extraName, JsonNode extraValue) {
        return access().running(job, stepName, extraName, extraValue);
    }

    /**
     * {@return as {@code running.toBuilder().status(status).stepName(null).stepsCompleted(..)
     * .percentCompleted(..).lastReturnValue(..).extraField(name0, value0)...extraField(name3,
     * value3).build()}}: a null value removes its field; the names are extra fields' names (not
     * known fields'), all different
     *
     * @throws IllegalArgumentException as {@link Job.Builder#build()}, for steps or percent out of range
     */
    public static Job afterStep(Job running, JobStatus status, int stepsCompleted, double percentCompleted,
            JsonNode lastReturnValue, String name0, @Nullable JsonNode value0, String name1,
            @Nullable JsonNode value1, String name2, @Nullable JsonNode value2, String name3,
            @Nullable JsonNode value3) {
        return access().afterStep(running, status, stepsCompleted, percentCompleted, lastReturnValue, name0, value0,
                name1, value1, name2, value2, name3, value3);
    }
}
