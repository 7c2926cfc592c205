package dev.ergate.opentelemetry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ergate.Job;
import dev.ergate.RuntimeFields;
import dev.ergate.runtime.ErgateListener;
import dev.ergate.runtime.StepInterceptor;
import dev.ergate.runtime.StepInvocation;
import dev.ergate.runtime.StepResult;
import dev.ergate.runtime.SubmitHook;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Traces jobs with OpenTelemetry: as a client's {@linkplain
 * dev.ergate.runtime.ErgateClient.Builder#submitHook submit hook} it writes a submit span's W3C
 * trace context into the job; as a worker's interceptor and listener it runs each step in a span,
 * a child of that context, current in the step's code. See the module's README. Thread-safe.
 */
public final class ErgateTracing implements SubmitHook, StepInterceptor, ErgateListener {

    /** The instrumentation scope name of the spans. */
    public static final String SCOPE = "dev.ergate";

    static final AttributeKey<String> WORKFLOW = AttributeKey.stringKey("ergate.workflow");
    static final AttributeKey<String> STEP = AttributeKey.stringKey("ergate.step");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("ergate.attempt");
    static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("ergate.job_id");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("ergate.outcome");
    static final AttributeKey<String> LINK_REASON = AttributeKey.stringKey("ergate.link.reason");
    static final AttributeKey<String> THREAD_NAME = AttributeKey.stringKey("thread.name");

    private final Tracer tracer;
    /**
     * Spans of step runs in this process, by {@link #runKey}: the step's interceptor opens one, the
     * listener ends it (after the state is written, so the job's next step may already have begun).
     */
    private final Map<String, Span> open = new ConcurrentHashMap<>();
    private final EarlierRuns earlier;

    private ErgateTracing(OpenTelemetry openTelemetry, int rememberedRuns) {
        this.tracer = Objects.requireNonNull(openTelemetry, "openTelemetry").getTracer(SCOPE);
        this.earlier = new EarlierRuns(rememberedRuns);
    }

    /**
     * @param openTelemetry where the spans go (the SDK you configured, or {@code GlobalOpenTelemetry.get()})
     * @return the tracing hooks; register the same instance on the client and the worker
     */
    public static ErgateTracing create(OpenTelemetry openTelemetry) {
        return new ErgateTracing(openTelemetry, EarlierRuns.DEFAULT_SIZE);
    }

    /**
     * Starts and ends a {@code submit <workflow>} span (a child of the current span, if any) and
     * writes its context into the job. A job that already carries a trace context keeps it.
     */
    @Override
    public Job beforeSubmit(Job job) {
        if (JobTraceContext.present(job)) {
            return job;
        }
        Span span = tracer.spanBuilder("submit " + job.workflowName())
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(WORKFLOW, job.workflowName())
                .setAttribute(JOB_ID, String.valueOf(job.id()))
                .startSpan();
        try {
            return JobTraceContext.inject(job, Context.current().with(span));
        } finally {
            span.end();
        }
    }

    /** Runs the step in a span whose parent is the job's trace context; ended by {@link #stepFinished}. */
    @Override
    public @Nullable Object intercept(StepInvocation invocation, Proceed proceed) throws Exception {
        Job job = invocation.job();
        SpanBuilder builder = tracer.spanBuilder(invocation.workflow() + " " + invocation.step())
                .setParent(JobTraceContext.extract(job, Context.root()))
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(WORKFLOW, invocation.workflow())
                .setAttribute(STEP, invocation.step())
                .setAttribute(ATTEMPT, (long) invocation.attempt())
                .setAttribute(JOB_ID, invocation.jobId())
                .setAttribute(THREAD_NAME, Thread.currentThread().getName());
        String runKey = invocation.jobId() + "/" + invocation.step() + "/" + job.stepsCompleted();
        EarlierRuns.Run before = earlier.get(runKey);
        if (before != null) {
            builder.addLink(before.span(), Attributes.of(LINK_REASON,
                    invocation.attempt() > before.attempt() ? "retry" : "redelivery"));
        }
        Span span = builder.startSpan();
        earlier.put(runKey, new EarlierRuns.Run(span.getSpanContext(), invocation.attempt()));
        Span replaced = open.put(runKey(job), span);
        if (replaced != null) {
            end(replaced, "unknown"); // the same run started again here before the first reported its end
        }
        try (Scope ignored = span.makeCurrent()) {
            return proceed.proceed(); // a throw is recorded from the step's result: an exception hook may forgive it
        }
    }

    @Override
    public void stepFinished(StepResult result) {
        Job running = result.running().orElse(null);
        if (running == null) {
            return; // nothing ran, so no span was opened
        }
        Span span = open.remove(runKey(running));
        if (span == null) {
            return;
        }
        StepResult.Outcome outcome = result.outcome();
        Throwable error = result.error().orElse(null);
        if (error != null && (outcome == StepResult.Outcome.FAILED || outcome == StepResult.Outcome.RETRY_SCHEDULED)) {
            span.recordException(error);
            span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
        }
        end(span, outcome(outcome));
    }

    @Override
    public void leaseLost(Job job) {
        String prefix = job.id() + "/";
        open.forEach((key, span) -> {
            if (key.startsWith(prefix)) {
                span.addEvent("ergate.lease_lost");
            }
        });
    }

    @Override
    public void jobReleasedOnShutdown(Job job) {
        String prefix = job.id() + "/";
        for (String key : open.keySet()) {
            Span span = key.startsWith(prefix) ? open.remove(key) : null;
            if (span != null) {
                end(span, "released");
            }
        }
    }

    /**
     * Ends the spans of steps that never reported their end (cut off at the drain timeout). With
     * several workers in one process, give each its own {@code ErgateTracing}.
     */
    @Override
    public void workerStopped() {
        for (String key : open.keySet()) {
            Span span = open.remove(key);
            if (span != null) {
                end(span, "released");
            }
        }
    }

    /** {@return what tells one run of a step apart: job, step, steps completed before it, attempt} */
    static String runKey(Job running) {
        JsonNode attempt = running.extraField(RuntimeFields.ATTEMPT);
        return running.id() + "/" + running.stepName() + "/" + running.stepsCompleted() + "/"
                + (attempt == null ? "1" : attempt.asText());
    }

    private static void end(Span span, String outcome) {
        span.setAttribute(OUTCOME, outcome);
        span.end();
    }

    /** The outcome attribute's value: the words ergate-micrometer uses for its outcome tag. */
    static String outcome(StepResult.Outcome outcome) {
        return switch (outcome) {
            case CONTINUED -> "next";
            case RETRY_SCHEDULED -> "retried";
            default -> outcome.name().toLowerCase(Locale.ROOT);
        };
    }
}
