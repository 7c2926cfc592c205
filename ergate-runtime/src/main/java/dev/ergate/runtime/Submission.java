package dev.ergate.runtime;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.CheckReturnValue;
import dev.ergate.Job;
import dev.ergate.JobId;
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
     * Queues the job (see {@link ErgateClient#submit(Job)}).
     *
     * @return the job's id
     */
    @CanIgnoreReturnValue
    public JobId submit() {
        return client.submit(toJob());
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
                .build();
    }
}
