package dev.ergate.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ergate.Job;
import dev.ergate.JobStatus;
import dev.ergate.runtime.StepResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link WorkflowTester} run produced: the job's final state, every state written to the
 * state store on the way (in order, as a worker writes them: RUNNING before each step, the new
 * state after it), the result of each step, and how much fake time passed.
 *
 * <p>Immutable and thread-safe.
 */
public final class TestRun {

    private final Job job;
    private final List<Job> updates;
    private final List<StepResult> steps;
    private final Duration elapsed;
    private final ObjectMapper mapper;

    TestRun(Job job, List<Job> updates, List<StepResult> steps, Duration elapsed, ObjectMapper mapper) {
        this.job = job;
        this.updates = List.copyOf(updates);
        this.steps = List.copyOf(steps);
        this.elapsed = elapsed;
        this.mapper = mapper;
    }

    /** {@return the job's final state, as last written to the store} */
    public Job job() {
        return job;
    }

    /** {@return the job's final status} */
    public JobStatus status() {
        return job.status();
    }

    /** {@return every state written to the store, oldest first} */
    public List<Job> updates() {
        return updates;
    }

    /** {@return the result of every step execution, retries included, in order} */
    public List<StepResult> steps() {
        return steps;
    }

    /** {@return the names of the steps that ran, in order; a retried step appears once per attempt} */
    public List<String> stepsRun() {
        List<String> names = new ArrayList<>();
        for (StepResult step : steps) {
            step.running().map(Job::stepName).ifPresent(names::add);
        }
        return names;
    }

    /** {@return the job's {@code last_return_value}: the last step's result} */
    public JsonNode result() {
        return job.lastReturnValue();
    }

    /**
     * @param type the type to convert the result to
     * @param <T> that type
     * @return the last step's result as {@code type}, or {@code null} for JSON null
     * @throws IllegalArgumentException if it does not convert
     */
    public <T> @Nullable T result(Class<T> type) {
        try {
            return mapper.treeToValue(job.lastReturnValue(), type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the result of job " + job.id() + " (" + job.lastReturnValue()
                    + ") does not convert to " + type.getName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** {@return the failure's stack trace, or the abort message, if the job failed or aborted} */
    public Optional<String> traceback() {
        return Optional.ofNullable(job.exceptionTraceback());
    }

    /** {@return how far the tester's fake clock moved during the run (delays and retry backoff)} */
    public Duration elapsed() {
        return elapsed;
    }

    @Override
    public String toString() {
        return "TestRun[" + job + ", steps=" + stepsRun() + ", elapsed=" + elapsed + "]";
    }
}
