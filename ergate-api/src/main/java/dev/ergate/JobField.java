package dev.ergate;

import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The JSON fields of a job that Ergate knows, in the order they are written. */
enum JobField {
    ID("id"),
    WORKFLOW_NAME("workflow_name"),
    STEP_NAME("step_name"),
    STATUS("status"),
    STEPS_COMPLETED("steps_completed"),
    PERCENT_COMPLETED("percent_completed"),
    INITIAL_INPUT_VALUE("initial_input_value"),
    LAST_RETURN_VALUE("last_return_value"),
    EXCEPTION_TRACEBACK("exception_traceback"),
    USER_CONTEXT("user_context"),
    REQUESTED_START_TIME("requested_start_time");

    static final JobField[] ALL = values();

    final String json;
    final int bit;

    JobField(String json) {
        this.json = json;
        this.bit = 1 << ordinal();
    }

    private static final Map<String, JobField> BY_JSON_NAME = byJsonName();

    private static Map<String, JobField> byJsonName() {
        Map<String, JobField> byName = new HashMap<>();
        for (JobField field : ALL) {
            byName.put(field.json, field);
        }
        return Map.copyOf(byName);
    }

    /** @return the known field of that JSON name, or null; one hash lookup (the builder asks on every extra field set) */
    static @Nullable JobField byJsonName(String name) {
        return BY_JSON_NAME.get(name);
    }
}
