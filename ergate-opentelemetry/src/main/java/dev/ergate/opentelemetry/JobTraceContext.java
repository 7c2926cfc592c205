package dev.ergate.opentelemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ergate.Job;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes a job's W3C trace context: the {@code traceparent} and {@code tracestate}
 * extra fields, plain strings in the job's JSON, so they survive every queue, store and Python
 * Ergate. Stateless and thread-safe.
 */
final class JobTraceContext {

    static final String TRACEPARENT = "traceparent";
    static final String TRACESTATE = "tracestate";
    private static final List<String> FIELDS = List.of(TRACEPARENT, TRACESTATE);

    private static final TextMapGetter<Job> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Job job) {
            return FIELDS;
        }

        @Override
        public @Nullable String get(@Nullable Job job, String key) {
            JsonNode value = job == null ? null : job.extraField(key);
            return value != null && value.isTextual() ? value.textValue() : null;
        }
    };

    private JobTraceContext() {
    }

    /** {@return whether the job carries a trace context} */
    static boolean present(Job job) {
        return GETTER.get(job, TRACEPARENT) != null;
    }

    /** {@return the context the job carries, under {@code base}; {@code base} when it carries none or a malformed one} */
    static Context extract(Job job, Context base) {
        return W3CTraceContextPropagator.getInstance().extract(base, job, GETTER);
    }

    /** {@return the job with {@code context}'s trace context in its extra fields} */
    static Job inject(Job job, Context context) {
        Job.Builder builder = job.toBuilder();
        W3CTraceContextPropagator.getInstance().inject(context, builder, (b, key, value) -> {
            if (b != null) {
                b.extraField(key, TextNode.valueOf(value));
            }
        });
        return builder.build();
    }
}
