package dev.ergate.runtime.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Schedule}'s definition as the JSON a {@link dev.ergate.spi.ScheduleStore} keeps:
 * {@code {"workflow", "cron" + "zone" | "interval_ms", "input", "user_context", "missed_catch_up"}}.
 * Thread-safe.
 */
final class ScheduleCodec {

    private final ObjectMapper mapper;

    ScheduleCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    String encode(Schedule schedule) {
        ObjectNode node = mapper.createObjectNode();
        node.put("workflow", schedule.workflow());
        if (schedule.timing() instanceof ScheduleTiming.CronTiming cron) {
            node.put("cron", cron.expression());
            node.put("zone", cron.zone().getId());
        } else if (schedule.timing() instanceof ScheduleTiming.IntervalTiming interval) {
            node.put("interval_ms", interval.every().toMillis());
        }
        node.set("input", toJson(schedule.input()));
        node.set("user_context", toJson(schedule.userContext()));
        node.put("missed_catch_up", schedule.missedTicks().catchUp());
        return node.toString();
    }

    JsonNode toJson(@Nullable Object value) {
        return value instanceof JsonNode node ? node : mapper.valueToTree(value);
    }

    /**
     * @throws IllegalArgumentException naming the schedule when the stored JSON is not a schedule
     */
    Schedule decode(String id, String definition) {
        JsonNode node;
        try {
            node = mapper.readTree(definition);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stored schedule '" + id + "' is not JSON: " + e.getOriginalMessage(), e);
        }
        ScheduleTiming timing;
        if (node.hasNonNull("cron")) {
            timing = ScheduleTiming.cron(node.path("cron").asText(), node.path("zone").asText("UTC"));
        } else if (node.hasNonNull("interval_ms")) {
            timing = ScheduleTiming.every(Duration.ofMillis(node.path("interval_ms").asLong()));
        } else {
            throw new IllegalArgumentException("stored schedule '" + id + "' has neither cron nor interval_ms");
        }
        return Schedule.withTiming(id, timing)
                .workflow(node.path("workflow").asText(""))
                .input(nullIfMissing(node.get("input")))
                .userContext(nullIfMissing(node.get("user_context")))
                .missedTicks(new MissedTicks(Math.max(0, node.path("missed_catch_up").asInt(0))))
                .build();
    }

    private static @Nullable JsonNode nullIfMissing(@Nullable JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }
}
