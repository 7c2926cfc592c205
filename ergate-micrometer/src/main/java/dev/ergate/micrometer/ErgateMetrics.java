package dev.ergate.micrometer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import dev.ergate.Job;
import dev.ergate.RuntimeFields;
import dev.ergate.runtime.ErgateListener;
import dev.ergate.runtime.StepResult;
import dev.ergate.runtime.SubmitHook;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Counts and times what Ergate workers do, as Micrometer meters: register it as a worker's
 * {@linkplain dev.ergate.runtime.Ergate.Builder#listener listener}, and as a client's {@linkplain
 * dev.ergate.runtime.ErgateClient.Builder#submitHook submit hook} to time jobs end to end. Meter
 * names and tags: the module's README. Thread-safe; one instance may serve many workers.
 */
public final class ErgateMetrics implements ErgateListener, SubmitHook {

    /** The extra job field the submit hook writes: the submit time, epoch milliseconds. */
    public static final String SUBMITTED_AT_FIELD = "ergate_submitted_at";
    /** Distinct workflow, step or operation names kept as tag values before the rest become "other". */
    public static final int DEFAULT_MAX_TAG_VALUES = 200;

    static final String NONE = "none";
    static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;
    private final Tags commonTags;
    private final BoundedTagValues workflows;
    private final BoundedTagValues steps;
    private final BoundedTagValues operations;

    /**
     * Meters in {@code registry}, with no extra tags.
     *
     * @param registry where the meters go
     */
    public ErgateMetrics(MeterRegistry registry) {
        this(registry, Tags.empty(), DEFAULT_MAX_TAG_VALUES);
    }

    /**
     * @param registry where the meters go
     * @param tags added to every meter (a worker pool's name, say); keep their values bounded
     * @param maxTagValues how many distinct workflow (and step, and operation) names become tag
     *     values; later new names are counted as {@code other}
     */
    public ErgateMetrics(MeterRegistry registry, Iterable<Tag> tags, int maxTagValues) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.commonTags = Tags.of(Objects.requireNonNull(tags, "tags"));
        if (maxTagValues < 1) {
            throw new IllegalArgumentException("maxTagValues must be at least 1, got " + maxTagValues);
        }
        this.workflows = new BoundedTagValues(maxTagValues);
        this.steps = new BoundedTagValues(maxTagValues);
        this.operations = new BoundedTagValues(maxTagValues);
    }

    /** Stamps the submit time, unless the job already has one (a re-submit keeps the first). */
    @Override
    public Job beforeSubmit(Job job) {
        if (job.extraField(SUBMITTED_AT_FIELD) != null) {
            return job;
        }
        return job.toBuilder().extraField(SUBMITTED_AT_FIELD, LongNode.valueOf(registry.config().clock().wallTime()))
                .build();
    }

    @Override
    public void stepFinished(StepResult result) {
        Job job = result.state().or(result::running).orElse(null);
        if (job == null) {
            return; // SKIPPED: the job was already final, nothing ran
        }
        String outcome = outcome(result.outcome());
        String workflow = workflows.of(job.workflowName());
        Job running = result.running().orElse(null);
        String ranStep = running == null ? null : running.stepName();
        String stepName = ranStep == null ? NONE : steps.of(ranStep);
        Tags stepTags = commonTags.and("workflow", workflow, "step", stepName, "outcome", outcome);
        Counter.builder("ergate.steps").description("Step results, by how they ended")
                .tags(stepTags).register(registry).increment();
        if (running != null) {
            Timer.builder("ergate.step.duration").description("How long step code ran")
                    .tags(stepTags).register(registry).record(result.duration());
            Duration wait = result.queueWait();
            if (running.extraField(RuntimeFields.QUEUED_AT) != null) { // known, even when 0 ms
                Timer.builder("ergate.step.queue.wait")
                        .description("How long a job waited between being queued for a step and the step's start")
                        .tags(commonTags.and("workflow", workflow, "step", stepName))
                        .register(registry).record(wait);
            }
        }
        if (job.status().isFinal()) {
            Tags jobTags = commonTags.and("workflow", workflow, "outcome", outcome);
            Counter.builder("ergate.jobs.finished").description("Jobs that ended, by how")
                    .tags(jobTags).register(registry).increment();
            long submittedAt = submittedAt(job);
            if (submittedAt > 0) {
                long millis = Math.max(0, registry.config().clock().wallTime() - submittedAt);
                Timer.builder("ergate.job.duration").description("From submit to the job's end")
                        .tags(jobTags).register(registry).record(millis, TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public void backendRetried(String operation, int attempt, Throwable error) {
        count("ergate.backend.retries", "Backend calls that failed transiently and were tried again",
                "operation", operations.of(operation));
    }

    @Override
    public void backendGaveUp(String operation, Throwable error) {
        count("ergate.backend.failures", "Backend calls given up on (retries spent or not transient)",
                "operation", operations.of(operation));
    }

    @Override
    public void leaseLost(Job job) {
        count("ergate.leases.lost", "Leases lost while a step ran", "workflow", workflows.of(job.workflowName()));
    }

    @Override
    public void deliveryDeadLettered(@Nullable Job job, String reason) {
        count("ergate.dead.letters", "Deliveries the worker moved to the dead-letter place",
                "workflow", job == null ? UNKNOWN : workflows.of(job.workflowName()));
    }

    @Override
    public void jobReleasedOnShutdown(Job job) {
        count("ergate.jobs.released", "Jobs given back to the queue because the worker was stopping",
                "workflow", workflows.of(job.workflowName()));
    }

    private void count(String name, String description, String tag, String value) {
        Counter.builder(name).description(description).tags(commonTags.and(tag, value)).register(registry).increment();
    }

    /** The tag value for an outcome: the words of the README's table. */
    static String outcome(StepResult.Outcome outcome) {
        return switch (outcome) {
            case CONTINUED -> "next";
            case RETRY_SCHEDULED -> "retried";
            default -> outcome.name().toLowerCase(Locale.ROOT);
        };
    }

    private static long submittedAt(Job job) {
        JsonNode stamp = job.extraField(SUBMITTED_AT_FIELD);
        return stamp != null && stamp.canConvertToLong() ? stamp.asLong() : 0;
    }
}
