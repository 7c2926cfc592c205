package dev.ergate.runtime;

import com.fasterxml.jackson.databind.node.TextNode;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.CheckReturnValue;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.RuntimeFields;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One job being described for {@link ErgateClient#submit(String)}; nothing is queued until
 * {@link #submit()} or {@link #submitAndAwait}. Not thread-safe; use it once.
 */
@CheckReturnValue
public final class Submission {

    private final ErgateClient client;
    private final String workflowName;
    private @Nullable Object input;
    private @Nullable Object userContext;
    private @Nullable Instant startAt;
    private @Nullable Duration delay;
    private @Nullable JobId id;
    private int priority;
    private @Nullable String uniqueKey;
    private Duration holdFor = Duration.ZERO;
    private boolean failIfExists;
    private boolean replace;

    Submission(ErgateClient client, String workflowName) {
        this.client = client;
        this.workflowName = workflowName;
    }

    /**
     * @param input the first step's input, converted to JSON; none when null
     * @return this submission
     */
    @CanIgnoreReturnValue
    public Submission input(@Nullable Object input) {
        this.input = input;
        return this;
    }

    /**
     * @param userContext the context every step can read, converted to JSON; none when null
     * @return this submission
     */
    @CanIgnoreReturnValue
    public Submission userContext(@Nullable Object userContext) {
        this.userContext = userContext;
        return this;
    }

    /**
     * @param startAt the job starts no sooner than this
     * @return this submission
     * @throws IllegalStateException if a {@link #delay} was set
     */
    @CanIgnoreReturnValue
    public Submission startAt(Instant startAt) {
        Objects.requireNonNull(startAt, "startAt");
        if (delay != null) {
            throw new IllegalStateException("a job of '" + workflowName + "' can have startAt or delay, not both;"
                    + " delay " + delay + " is already set");
        }
        this.startAt = startAt;
        return this;
    }

    /**
     * @param delay the job starts no sooner than this long after it is submitted
     * @return this submission
     * @throws IllegalArgumentException if {@code delay} is negative
     * @throws IllegalStateException if a {@link #startAt} was set
     */
    @CanIgnoreReturnValue
    public Submission delay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay of a job of '" + workflowName + "' must not be negative, got "
                    + delay);
        }
        if (startAt != null) {
            throw new IllegalStateException("a job of '" + workflowName + "' can have startAt or delay, not both;"
                    + " startAt " + startAt + " is already set");
        }
        this.delay = delay;
        return this;
    }

    /**
     * @param id the job's id instead of a random one
     * @return this submission
     */
    @CanIgnoreReturnValue
    public Submission id(JobId id) {
        this.id = Objects.requireNonNull(id, "id");
        return this;
    }

    /**
     * @param priority a queue that supports priorities (memory, Redis, PostgreSQL) takes a higher
     *     one first; 0 by default, within {@link Job#MIN_PRIORITY}..{@link Job#MAX_PRIORITY}.
     *     Kept for every step of the job. A queue without priorities (SQS) refuses a job that has one
     * @return this submission
     * @throws IllegalArgumentException if {@code priority} is out of range
     */
    @CanIgnoreReturnValue
    public Submission priority(int priority) {
        if (priority < Job.MIN_PRIORITY || priority > Job.MAX_PRIORITY) {
            throw new IllegalArgumentException("priority of a job of '" + workflowName + "' must be within "
                    + Job.MIN_PRIORITY + ".." + Job.MAX_PRIORITY + ", got " + priority);
        }
        this.priority = priority;
        return this;
    }

    /**
     * Makes the submit unique: while a job recorded under {@code key} is not final, submitting
     * another with that key records and queues nothing and {@link #submit()} returns the existing
     * job's id (or throws, with {@link #failIfExists()}). Checked atomically by the store, which
     * must be a {@link dev.ergate.spi.UniqueJobs}.
     *
     * @param key the unique key, not blank
     * @return this submission
     * @throws IllegalArgumentException if {@code key} is blank
     */
    @CanIgnoreReturnValue
    public Submission uniqueKey(String key) {
        return uniqueKey(key, Duration.ZERO);
    }

    /**
     * Like {@link #uniqueKey(String)}, and the key also stays held for {@code holdFor} after the
     * submit even if the job ends sooner (at most one job per key in that window).
     *
     * @param key the unique key, not blank
     * @param holdFor how long the key stays held at least; zero for only while the job is not final
     * @return this submission
     * @throws IllegalArgumentException if {@code key} is blank or {@code holdFor} negative
     */
    @CanIgnoreReturnValue
    public Submission uniqueKey(String key, Duration holdFor) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("unique key of a job of '" + workflowName + "' must not be blank, got "
                    + (key == null ? "null" : "'" + key + "'"));
        }
        Objects.requireNonNull(holdFor, "holdFor");
        if (holdFor.isNegative()) {
            throw new IllegalArgumentException("holdFor of unique key '" + key + "' must not be negative, got "
                    + holdFor);
        }
        this.uniqueKey = key;
        this.holdFor = holdFor;
        return this;
    }

    /**
     * With a {@link #uniqueKey}: a held key makes {@link #submit()} throw {@link
     * DuplicateJobException} (carrying the existing job's id) instead of returning that id.
     *
     * @return this submission
     */
    @CanIgnoreReturnValue
    public Submission failIfExists() {
        this.failIfExists = true;
        return this;
    }

    /**
     * Runs the job again even if a job of its {@link #id} is stored (a final one included): the
     * stored job is overwritten. Without it, such a submit is refused.
     *
     * @return this submission
     */
    @CanIgnoreReturnValue
    public Submission replace() {
        this.replace = true;
        return this;
    }

    /**
     * Queues the job (see {@link ErgateClient#submit(Job)}).
     *
     * @return the job's id; with a {@link #uniqueKey} that is held, the id of the job holding it
     * @throws DuplicateJobException if the unique key is held and {@link #failIfExists()} was asked
     * @throws IllegalStateException if a unique key is given and the client's store can't keep one;
     *     if a job of this {@link #id} is stored and {@link #replace()} was not asked
     */
    @CanIgnoreReturnValue
    public JobId submit() {
        if (uniqueKey == null) {
            if (failIfExists) {
                throw new IllegalStateException("failIfExists() of a job of '" + workflowName
                        + "' needs a uniqueKey(..)");
            }
            return client.submit(toJob(), replace);
        }
        if (replace) {
            throw new IllegalStateException("replace() of a job of '" + workflowName + "' does not go with a uniqueKey(..)");
        }
        return client.submitUnique(toJob(), uniqueKey, holdFor, failIfExists);
    }

    /** {@return true when this submission has a unique key, so it is submitted on its own} */
    boolean unique() {
        return uniqueKey != null || failIfExists;
    }

    /**
     * Queues the job and waits for it without blocking (see {@link ErgateClient#await}).
     *
     * @param timeout how long to wait for a final status
     * @return completed with the final job, or failed with a {@link java.util.concurrent.TimeoutException}
     */
    public CompletableFuture<Job> submitAndAwait(Duration timeout) {
        JobAwaiter awaiter = client.awaiter("submitAndAwait");
        JobAwaiter.checkTimeout(timeout);
        return awaiter.await(submit(), timeout);
    }

    /** {@return the job this submission describes, not yet prepared for the queue} */
    Job toJob() {
        Instant start = delay == null ? startAt : Instant.now().plus(delay);
        return Job.builder()
                .id(id)
                .workflowName(workflowName)
                .initialInputValue(client.toJson(input))
                .userContext(client.toJson(userContext))
                .requestedStartTime(start)
                .priority(priority)
                .extraField(RuntimeFields.UNIQUE_KEY, uniqueKey == null ? null : TextNode.valueOf(uniqueKey))
                .build();
    }
}
