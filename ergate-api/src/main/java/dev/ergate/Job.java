package dev.ergate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One execution of a workflow: the state that travels on the queue and is written to the store
 * after every step, as Python Ergate's JSON ({@link JobCodec}). An immutable value (change one
 * with {@link #toBuilder()}); JSON values are read-only Jackson trees, JSON null is {@link
 * NullNode}, and unknown fields are kept. Thread-safe. Why: DESIGN.md, "The model".
 */
public final class Job {

    /** The lowest {@linkplain #priority() priority} a job can have. */
    public static final int MIN_PRIORITY = -1000;
    /** The highest {@linkplain #priority() priority} a job can have. */
    public static final int MAX_PRIORITY = 1000;

    private final @Nullable JobId id;
    private final String workflowName;
    private final @Nullable String stepName;
    private final JobStatus status;
    private final int stepsCompleted;
    private final double percentCompleted;
    private final JsonNode initialInputValue;
    private final JsonNode lastReturnValue;
    private final @Nullable String exceptionTraceback;
    private final JsonNode userContext;
    private final @Nullable Instant requestedStartTime;
    private final ExtraFields extraFields;
    /** Known fields that the decoded document lacked and nobody set since (JobField bits). */
    private final int absentFields;

    private Job(Builder b) {
        this.id = b.id;
        this.workflowName = Objects.requireNonNull(b.workflowName, "checked by build()");
        this.stepName = b.stepName;
        this.status = b.status;
        this.stepsCompleted = b.stepsCompleted;
        this.percentCompleted = b.percentCompleted;
        this.initialInputValue = b.initialInputValue;
        this.lastReturnValue = b.lastReturnValue;
        this.exceptionTraceback = b.exceptionTraceback;
        this.userContext = b.userContext;
        this.requestedStartTime = b.requestedStartTime;
        this.extraFields = b.sealExtraFields();
        this.absentFields = b.absentFields;
    }

    static {
        dev.ergate.internal.JobSteps.install(new Steps());
    }

    /** A step's change of {@code source}: the fields a step changes, the others as they were. */
    private Job(Job source, JobStatus status, @Nullable String stepName, int stepsCompleted, double percentCompleted,
            JsonNode lastReturnValue, ExtraFields extraFields, int absentFields) {
        this.id = source.id;
        this.workflowName = source.workflowName;
        this.stepName = stepName;
        this.status = status;
        this.stepsCompleted = stepsCompleted;
        this.percentCompleted = percentCompleted;
        this.initialInputValue = source.initialInputValue;
        this.lastReturnValue = lastReturnValue;
        this.exceptionTraceback = source.exceptionTraceback;
        this.userContext = source.userContext;
        this.requestedStartTime = source.requestedStartTime;
        this.extraFields = extraFields;
        this.absentFields = absentFields;
    }

    /** {@link dev.ergate.internal.JobSteps}: what the builder would build, without one. */
    private static final class Steps implements dev.ergate.internal.JobSteps.Access {
        private static final int RUNNING_SETS = JobField.STATUS.bit | JobField.STEP_NAME.bit;
        private static final int AFTER_STEP_SETS = RUNNING_SETS | JobField.STEPS_COMPLETED.bit
                | JobField.PERCENT_COMPLETED.bit | JobField.LAST_RETURN_VALUE.bit;

        @Override
        public Job running(Job job, String stepName, String extraName, JsonNode extraValue) {
            ExtraFields extras = job.extraFields.with(extraName, extraValue.deepCopy());
            return new Job(job, JobStatus.RUNNING, Objects.requireNonNull(stepName, "stepName"), job.stepsCompleted,
                    job.percentCompleted, job.lastReturnValue, extras, job.absentFields & ~RUNNING_SETS);
        }

        @Override
        public Job afterStep(Job running, JobStatus status, int stepsCompleted, double percentCompleted,
                JsonNode lastReturnValue, String name0, @Nullable JsonNode value0, String name1,
                @Nullable JsonNode value1, String name2, @Nullable JsonNode value2, String name3,
                @Nullable JsonNode value3) {
            checkProgress(stepsCompleted, percentCompleted);
            ExtraFields extras = running.extraFields.edited(name0, copy(value0), name1, copy(value1), name2,
                    copy(value2), name3, copy(value3));
            return new Job(running, Objects.requireNonNull(status, "status"), null, stepsCompleted, percentCompleted,
                    Builder.copyOf(lastReturnValue), extras, running.absentFields & ~AFTER_STEP_SETS);
        }

        private static @Nullable JsonNode copy(@Nullable JsonNode value) {
            return value == null ? null : value.deepCopy();
        }
    }

    /** A copy of {@code source} with its own copies of every JSON object and array. */
    private Job(Job source, ExtraFields copiedExtraFields) {
        this.id = source.id;
        this.workflowName = source.workflowName;
        this.stepName = source.stepName;
        this.status = source.status;
        this.stepsCompleted = source.stepsCompleted;
        this.percentCompleted = source.percentCompleted;
        this.initialInputValue = source.initialInputValue.deepCopy();
        this.lastReturnValue = source.lastReturnValue.deepCopy();
        this.exceptionTraceback = source.exceptionTraceback;
        this.userContext = source.userContext.deepCopy();
        this.requestedStartTime = source.requestedStartTime;
        this.extraFields = copiedExtraFields;
        this.absentFields = source.absentFields;
    }

    private static void checkProgress(int stepsCompleted, double percentCompleted) {
        if (stepsCompleted < 0) {
            throw new IllegalArgumentException(
                    "steps_completed must be >= 0, got " + stepsCompleted);
        }
        if (!(percentCompleted >= 0.0 && percentCompleted <= 100.0)) {
            throw new IllegalArgumentException(
                    "percent_completed must be within 0..100, got " + percentCompleted);
        }
    }

    /** {@return a builder for a new job; {@link Builder#workflowName(String)} is required} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Shortcut for a new QUEUED job with everything else at its default.
     *
     * @param workflowName the workflow to run
     * @return the job
     */
    public static Job of(String workflowName) {
        return builder().workflowName(workflowName).build();
    }

    /** {@return a builder holding this job's values, to make a changed copy} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * A job equal to this one that shares no mutable JSON tree with it: every JSON object and
     * array (in the input, return value, user context and extra fields) is copied, so changing a
     * tree of one job can't change the other. Scalar JSON values (text, numbers, booleans, null)
     * are immutable and shared. For handing one job to code that might change its trees (a step
     * given its input as an {@code ObjectNode}) while the original must stay as it was (a queued
     * message that may be delivered again).
     *
     * @return the copy; this job itself when it holds no JSON object or array, as there is
     *     nothing that could be changed
     */
    public Job deepCopy() {
        boolean extrasMutable = extraFields.anyContainer();
        if (!extrasMutable && !initialInputValue.isContainerNode() && !lastReturnValue.isContainerNode()
                && !userContext.isContainerNode()) {
            return this;
        }
        return new Job(this, extrasMutable ? extraFields.deepCopy() : extraFields);
    }

    /** {@return the job's id; {@code null} until the runtime assigns one on the first step} */
    public @Nullable JobId id() {
        return id;
    }

    /** {@return the name of the workflow this job runs ({@code workflow_name})} */
    public String workflowName() {
        return workflowName;
    }

    /** {@return the step running now, or the next one to run; {@code null} before the first} */
    public @Nullable String stepName() {
        return stepName;
    }

    /** {@return where the job is in its life; QUEUED by default} */
    public JobStatus status() {
        return status;
    }

    /** {@return how many steps have finished, at least 0} */
    public int stepsCompleted() {
        return stepsCompleted;
    }

    /** {@return predicted progress in percent, between 0 and 100} */
    public double percentCompleted() {
        return percentCompleted;
    }

    /** {@return the input of the first step ({@code initial_input_value})} */
    public JsonNode initialInputValue() {
        return initialInputValue;
    }

    /** {@return what the last step returned: the input of the next one} */
    public JsonNode lastReturnValue() {
        return lastReturnValue;
    }

    /** {@return the stack trace text of the failure that ended the job, if it failed} */
    public @Nullable String exceptionTraceback() {
        return exceptionTraceback;
    }

    /** {@return the user's context value, kept for the job's whole life} */
    public JsonNode userContext() {
        return userContext;
    }

    /** {@return the job must not run before this time; {@code null} for as soon as possible} */
    public @Nullable Instant requestedStartTime() {
        return requestedStartTime;
    }

    /**
     * The job's queue priority, kept in the extra field {@value RuntimeFields#PRIORITY}: a queue
     * that supports priorities hands out a higher one first. 0 when the field is absent; a value
     * that is not an integer reads as 0, one beyond the range as {@link #MIN_PRIORITY} or {@link
     * #MAX_PRIORITY} (the field may come from another producer).
     *
     * @return the priority, within {@link #MIN_PRIORITY}..{@link #MAX_PRIORITY}
     */
    public int priority() {
        JsonNode value = extraFields.get(RuntimeFields.PRIORITY);
        if (value == null || !value.isIntegralNumber()) {
            return 0;
        }
        if (!value.canConvertToLong()) {
            return value.bigIntegerValue().signum() < 0 ? MIN_PRIORITY : MAX_PRIORITY;
        }
        return (int) Math.max(MIN_PRIORITY, Math.min(MAX_PRIORITY, value.longValue()));
    }

    /** {@return JSON fields Ergate does not know, in document order, read-only} */
    public Map<String, JsonNode> extraFields() {
        return extraFields;
    }

    /** The extra fields as they are held, for {@link JobCodec} to write them by slot. */
    ExtraFields extras() {
        return extraFields;
    }

    /**
     * @param name an extra field's JSON name
     * @return its value, or {@code null} when the job has no such extra field
     */
    public @Nullable JsonNode extraField(String name) {
        return extraFields.get(name);
    }

    /** Used by {@link JobCodec}: was this known field absent from the decoded document? */
    boolean isAbsent(JobField field) {
        return (absentFields & field.bit) != 0;
    }

    @Override
    public boolean equals(@Nullable Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof Job that)) {
            return false;
        }
        return stepsCompleted == that.stepsCompleted
                && Double.compare(percentCompleted, that.percentCompleted) == 0
                && Objects.equals(id, that.id)
                && workflowName.equals(that.workflowName)
                && Objects.equals(stepName, that.stepName)
                && status == that.status
                && initialInputValue.equals(that.initialInputValue)
                && lastReturnValue.equals(that.lastReturnValue)
                && Objects.equals(exceptionTraceback, that.exceptionTraceback)
                && userContext.equals(that.userContext)
                && Objects.equals(requestedStartTime, that.requestedStartTime)
                && extraFields.equals(that.extraFields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, workflowName, stepName, status, stepsCompleted, percentCompleted);
    }

    /** {@return a short description for logs: id, workflow, step, status and progress} */
    @Override
    public String toString() {
        return "Job[id=" + id + ", workflow=" + workflowName + ", step=" + stepName
                + ", status=" + status + ", stepsCompleted=" + stepsCompleted
                + ", percentCompleted=" + percentCompleted + "]";
    }

    /**
     * Builds a {@link Job}; {@link #build()} checks the values. Not thread-safe.
     */
    public static final class Builder {

        private @Nullable JobId id;
        private @Nullable String workflowName;
        private @Nullable String stepName;
        private JobStatus status = JobStatus.QUEUED;
        private int stepsCompleted;
        private double percentCompleted;
        private JsonNode initialInputValue = NullNode.getInstance();
        private JsonNode lastReturnValue = NullNode.getInstance();
        private @Nullable String exceptionTraceback;
        private JsonNode userContext = NullNode.getInstance();
        private @Nullable Instant requestedStartTime;
        /**
         * The extra fields, as {@link ExtraFields} holds them: names and values in the first
         * {@link #extraCount} slots. Copy on write: the arrays start as a built job's (shared, read
         * only) and are copied on the first change, the names only when a field is added or
         * removed (a step changes values: {@code current_step}, {@code queued_at}).
         */
        private String[] extraNames = ExtraFields.NO_NAMES;
        private JsonNode[] extraValues = ExtraFields.NO_VALUES;
        private int extraCount;
        private boolean ownsExtraNames;
        private boolean ownsExtraValues;
        /** The last job's extra fields while nothing changed them: built again as they are. */
        private @Nullable ExtraFields builtExtras = ExtraFields.EMPTY;
        /** Name to slot once there are more than {@link ExtraFields#SCAN_LIMIT} fields; null until needed. */
        private @Nullable Map<String, Integer> extraIndex;
        private int absentFields;

        private Builder() {
        }

        private Builder(Job job) {
            this.id = job.id;
            this.workflowName = job.workflowName;
            this.stepName = job.stepName;
            this.status = job.status;
            this.stepsCompleted = job.stepsCompleted;
            this.percentCompleted = job.percentCompleted;
            this.initialInputValue = job.initialInputValue;
            this.lastReturnValue = job.lastReturnValue;
            this.exceptionTraceback = job.exceptionTraceback;
            this.userContext = job.userContext;
            this.requestedStartTime = job.requestedStartTime;
            ExtraFields extras = job.extraFields;
            this.extraNames = extras.names;
            this.extraValues = extras.values;
            this.extraCount = extras.size();
            this.builtExtras = extras;
            this.absentFields = job.absentFields;
        }

        /** {@return the slot of an extra field, or -1} */
        private int extraSlot(String name) {
            if (extraCount <= ExtraFields.SCAN_LIMIT) {
                return ExtraFields.scan(extraNames, extraCount, name);
            }
            Map<String, Integer> index = extraIndex;
            if (index == null) {
                index = ExtraFields.indexOf(extraNames, extraCount);
                extraIndex = index;
            }
            Integer slot = index.get(name);
            return slot == null ? -1 : slot;
        }

        /** Makes the value array this builder's own (a copy of a shared one), with room for {@code capacity}. */
        private void ownExtraValues(int capacity) {
            if (!ownsExtraValues || extraValues.length < capacity) {
                extraValues = java.util.Arrays.copyOf(extraValues, Math.max(capacity, extraCount));
                ownsExtraValues = true;
            }
            builtExtras = null;
        }

        private void ownExtraNames(int capacity) {
            if (!ownsExtraNames || extraNames.length < capacity) {
                extraNames = java.util.Arrays.copyOf(extraNames, Math.max(capacity, extraCount));
                ownsExtraNames = true;
            }
            builtExtras = null;
        }

        /** Sets a field: replaces its value, or adds it after the others. */
        private void putExtra(String name, JsonNode value) {
            int slot = extraSlot(name);
            if (slot >= 0) {
                ownExtraValues(extraCount);
                extraValues[slot] = value;
                return;
            }
            int grown = extraCount < 4 ? 4 : extraCount + (extraCount >> 1);
            ownExtraNames(extraCount < extraNames.length && ownsExtraNames ? extraNames.length : grown);
            ownExtraValues(extraCount < extraValues.length && ownsExtraValues ? extraValues.length : grown);
            extraNames[extraCount] = name;
            extraValues[extraCount] = value;
            if (extraIndex != null) {
                extraIndex.put(name, extraCount);
            }
            extraCount++;
        }

        /** Removes a field present at {@code slot}, keeping the others in order. */
        private void removeExtra(int slot) {
            ownExtraNames(extraCount);
            ownExtraValues(extraCount);
            int after = extraCount - slot - 1;
            System.arraycopy(extraNames, slot + 1, extraNames, slot, after);
            System.arraycopy(extraValues, slot + 1, extraValues, slot, after);
            extraCount--;
            extraNames[extraCount] = null;
            extraValues[extraCount] = null;
            extraIndex = null; // slots moved
        }

        /** {@return the extra fields for a job being built, read-only; a later change copies the arrays first} */
        private ExtraFields sealExtraFields() {
            ExtraFields built = builtExtras;
            if (built == null) {
                built = extraCount == 0 ? ExtraFields.EMPTY : new ExtraFields(extraNames, extraValues, extraCount);
                builtExtras = built;
                ownsExtraNames = false;
                ownsExtraValues = false;
            }
            return built;
        }

        private Builder present(JobField field) {
            absentFields &= ~field.bit;
            return this;
        }

        /** @param id the job's id, or {@code null} to let the runtime assign one */
        public Builder id(@Nullable JobId id) {
            this.id = id;
            return present(JobField.ID);
        }

        /** @param id a string id, as {@link JobId#of(String)} */
        public Builder id(String id) {
            return id(JobId.of(id));
        }

        /** @param workflowName the workflow to run; required, not blank */
        public Builder workflowName(String workflowName) {
            this.workflowName = workflowName;
            return present(JobField.WORKFLOW_NAME);
        }

        /** @param stepName the step running now or next, or {@code null} */
        public Builder stepName(@Nullable String stepName) {
            this.stepName = stepName;
            return present(JobField.STEP_NAME);
        }

        /** @param status the job's status */
        public Builder status(JobStatus status) {
            this.status = Objects.requireNonNull(status, "status");
            return present(JobField.STATUS);
        }

        /** @param stepsCompleted how many steps finished, at least 0 */
        public Builder stepsCompleted(int stepsCompleted) {
            this.stepsCompleted = stepsCompleted;
            return present(JobField.STEPS_COMPLETED);
        }

        /** @param percentCompleted progress in percent, 0 to 100 */
        public Builder percentCompleted(double percentCompleted) {
            this.percentCompleted = percentCompleted;
            return present(JobField.PERCENT_COMPLETED);
        }

        /** @param value the first step's input (copied); {@code null} for JSON null */
        public Builder initialInputValue(@Nullable JsonNode value) {
            this.initialInputValue = copyOf(value);
            return present(JobField.INITIAL_INPUT_VALUE);
        }

        /** @param value what the last step returned (copied); {@code null} for JSON null */
        public Builder lastReturnValue(@Nullable JsonNode value) {
            this.lastReturnValue = copyOf(value);
            return present(JobField.LAST_RETURN_VALUE);
        }

        /** @param traceback the failure's stack trace text, or {@code null} */
        public Builder exceptionTraceback(@Nullable String traceback) {
            this.exceptionTraceback = traceback;
            return present(JobField.EXCEPTION_TRACEBACK);
        }

        /** @param value the user's context (copied); {@code null} for JSON null */
        public Builder userContext(@Nullable JsonNode value) {
            this.userContext = copyOf(value);
            return present(JobField.USER_CONTEXT);
        }

        /** @param time not before this time, or {@code null} for as soon as possible */
        public Builder requestedStartTime(@Nullable Instant time) {
            this.requestedStartTime = time;
            return present(JobField.REQUESTED_START_TIME);
        }

        /**
         * Sets a field Ergate does not know, written after the known ones.
         *
         * @param name its JSON name; not one of the known fields
         * @param value its value (copied); {@code null} removes the field
         * @throws IllegalArgumentException if {@code name} is a known field's name
         */
        public Builder extraField(String name, @Nullable JsonNode value) {
            int slot = extraSlot(name);
            if (slot < 0 && JobField.byJsonName(name) != null) { // a field held as extra is never a known one
                throw new IllegalArgumentException(
                        "'" + name + "' is a known job field; set it with its own builder method");
            }
            if (value == null) {
                if (slot >= 0) {
                    removeExtra(slot);
                }
                return this;
            }
            if (slot >= 0 && value.equals(extraValues[slot])) {
                return this; // already so: no copy (the runtime sets current_step on every step)
            }
            putExtra(name, value.deepCopy());
            return this;
        }

        /**
         * Sets the job's queue priority ({@link Job#priority()}); 0, the default, removes the
         * field, so a job without a priority is written as before.
         *
         * @param priority higher is taken first; within {@link #MIN_PRIORITY}..{@link #MAX_PRIORITY}
         * @return this builder
         * @throws IllegalArgumentException if {@code priority} is out of range
         */
        public Builder priority(int priority) {
            if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
                throw new IllegalArgumentException("priority must be within " + MIN_PRIORITY + ".." + MAX_PRIORITY
                        + ", got " + priority);
            }
            return extraField(RuntimeFields.PRIORITY,
                    priority == 0 ? null : IntNode.valueOf(priority));
        }

        /** Decoder's path: takes trees it created itself, without copying them again. */
        Builder decoded(JobField field, JsonNode value) {
            switch (field) {
                case INITIAL_INPUT_VALUE -> initialInputValue = value;
                case LAST_RETURN_VALUE -> lastReturnValue = value;
                case USER_CONTEXT -> userContext = value;
                default -> throw new IllegalArgumentException(field.json + " is not a JSON value field");
            }
            return present(field);
        }

        Builder decodedExtra(String name, JsonNode value) {
            putExtra(name, value);
            return this;
        }

        /** Streaming decoder's path: {@link #decodedExtra}, unless the field is already there (then false, nothing set). */
        boolean decodedExtraIfNew(String name, JsonNode value) {
            if (extraSlot(name) >= 0) {
                return false;
            }
            putExtra(name, value);
            return true;
        }

        Builder absent(JobField field) {
            absentFields |= field.bit;
            return this;
        }

        /**
         * @return the job
         * @throws IllegalArgumentException naming the field, if {@code workflow_name} is missing
         *     or blank, {@code steps_completed} is negative, or {@code percent_completed} is not
         *     within 0..100
         */
        public Job build() {
            if (workflowName == null || workflowName.isBlank()) {
                throw new IllegalArgumentException(
                        "workflow_name is required and must not be blank, got "
                                + (workflowName == null ? "nothing" : "'" + workflowName + "'"));
            }
            checkProgress(stepsCompleted, percentCompleted);
            return new Job(this);
        }

        static JsonNode copyOf(@Nullable JsonNode value) {
            return value == null ? NullNode.getInstance() : value.deepCopy();
        }
    }
}
