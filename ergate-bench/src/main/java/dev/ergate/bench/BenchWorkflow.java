package dev.ergate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.runtime.Workflow;

/**
 * The measured workload: a workflow of N no-op steps, each returning its input (so the payload
 * travels through every step) after telling the {@link RunTracker} it started. Immutable and
 * thread-safe.
 */
public final class BenchWorkflow {

    /** The workflow's name. */
    public static final String NAME = "bench-noop";

    private BenchWorkflow() {
    }

    /**
     * @param steps how many steps, named {@code step-1} to {@code step-N}
     * @param tracker told when each step starts
     * @return the workflow
     */
    public static Workflow create(int steps, RunTracker tracker) {
        Workflow.Builder builder = Workflow.builder(NAME);
        for (int i = 1; i <= steps; i++) {
            builder.step("step-" + i, JsonNode.class, (input, context) -> {
                tracker.stepStarted(context.job());
                return input;
            });
        }
        return builder.build();
    }

    /**
     * @param payloadBytes how many characters the payload has
     * @return the payload: a JSON text of that many ASCII characters
     */
    public static JsonNode payload(int payloadBytes) {
        return TextNode.valueOf("x".repeat(payloadBytes));
    }

    /**
     * @param id the job's id
     * @param payload its input
     * @return a new job of the workflow
     */
    public static Job job(JobId id, JsonNode payload) {
        return Job.builder().id(id).workflowName(NAME).initialInputValue(payload).build();
    }
}
