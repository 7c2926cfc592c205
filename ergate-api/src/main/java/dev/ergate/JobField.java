package dev.ergate;

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

    static JobField byJsonName(String name) {
        for (JobField field : ALL) {
            if (field.json.equals(name)) {
                return field;
            }
        }
        return null;
    }
}
