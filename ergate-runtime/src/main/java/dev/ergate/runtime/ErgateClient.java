package dev.ergate.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.LongNode;
import com.google.errorprone.annotations.CheckReturnValue;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.RuntimeFields;
import dev.ergate.spi.AtomicSubmit;
import dev.ergate.runtime.schedule.Schedules;
import dev.ergate.spi.FinalStateNotifier;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.ScheduleStore;
import dev.ergate.spi.StateStore;
import dev.ergate.spi.UniqueJobs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The producer's side: submits jobs from plain Java values, looks them up and cancels them. With
 * a store, a job's QUEUED state is recorded before it is queued (and marked FAILED if queuing
 * fails); where the queue offers an {@link AtomicSubmit} with that store (Redis, PostgreSQL), both
 * happen in one script or transaction instead, all or nothing. {@link #submitAll} sends many jobs
 * in a few round trips. Thread-safe.
 *
 * <pre>{@code
 * ErgateClient client = ErgateClient.builder(queue).store(store).build();
 * JobId id = client.submit("orders").input(new Order(42, 3)).delay(Duration.ofMinutes(5)).submit();
 * client.await(id, Duration.ofMinutes(10)).thenAccept(job -> log.info("{} is {}", id, job.status()));
 * }</pre>
 */
public final class ErgateClient {

    private final JobQueue queue;
    private final @Nullable StateStore store;
    private final ObjectMapper mapper;
    private final List<SubmitHook> submitHooks;
    private final @Nullable JobAwaiter awaiter;
    private final @Nullable AtomicSubmit atomicSubmit;
    private final @Nullable ScheduleStore scheduleStore;

    private ErgateClient(Builder builder) {
        this.scheduleStore = builder.scheduleStore;
        this.queue = builder.queue;
        this.store = builder.store;
        this.submitHooks = List.copyOf(builder.submitHooks);
        this.mapper = builder.mapper == null ? JobRunner.defaultObjectMapper() : builder.mapper;
        this.awaiter = store instanceof JobStore jobStore ? new JobAwaiter(jobStore, builder.notifier) : null;
        this.atomicSubmit = store == null ? null : queue.atomicSubmit(store).orElse(null);
    }

    /**
     * @param queue where jobs are put
     * @return a builder
     */
    public static Builder builder(JobQueue queue) {
        return new Builder(queue);
    }

    /**
     * Starts describing a job; nothing is queued until {@link Submission#submit()}:
     * {@code client.submit("orders").input(order).userContext(user).delay(Duration.ofMinutes(5)).submit()}.
     *
     * @param workflowName the workflow to run
     * @return the job's description, to complete and submit
     * @throws IllegalArgumentException if {@code workflowName} is null or blank
     */
    @CheckReturnValue
    public Submission submit(String workflowName) {
        if (workflowName == null || workflowName.isBlank()) {
            throw new IllegalArgumentException("a job needs a workflow name, got "
                    + (workflowName == null ? "null" : "'" + workflowName + "'"));
        }
        return new Submission(this, workflowName);
    }

    /**
     * Submits a job that starts at once; short for {@code submit(workflowName).input(input).submit()}.
     *
     * @param workflowName the workflow to run
     * @param input the first step's input (converted to JSON), or {@code null}
     * @return the job's id
     */
    public JobId submit(String workflowName, @Nullable Object input) {
        return submit(workflowName).input(input).submit();
    }

    /**
     * Submits a job with a user context, to start no sooner than {@code startAt}; the fluent
     * {@link #submit(String)} says the same with names.
     *
     * @param workflowName the workflow to run
     * @param input the first step's input (converted to JSON), or {@code null}
     * @param userContext the context every step can read (converted to JSON), or {@code null}
     * @param startAt not before this time, or {@code null} for at once
     * @return the job's id
     */
    public JobId submit(String workflowName, @Nullable Object input, @Nullable Object userContext,
            @Nullable Instant startAt) {
        Submission submission = submit(workflowName).input(input).userContext(userContext);
        return (startAt == null ? submission : submission.startAt(startAt)).submit();
    }

    /**
     * Submits a job as built by the caller; it is queued with status QUEUED and an id, after the
     * {@linkplain Builder#submitHook submit hooks} have changed it.
     *
     * @param job the job
     * @return its id
     * @throws IllegalStateException if a submit hook returned null or changed the job's id or status
     */
    public JobId submit(Job job) {
        return submit(job, false);
    }

    /**
     * As {@link #submit(Job)}; with {@code replace}, a stored job of the same id (a final one
     * included) is overwritten and runs again, else such a submit is refused.
     *
     * @throws IllegalStateException if a job of that id is stored and {@code replace} is false
     */
    JobId submit(Job job, boolean replace) {
        Job queued = prepare(job);
        if (atomicSubmit != null && job.id() == null && !replace) { // a new random id: nothing to check first
            atomicSubmit.submit(List.of(queued));
            return Objects.requireNonNull(queued.id(), "prepare assigns an id");
        }
        if (store != null) {
            record(queued, replace, job.id() == null);
        }
        put(queued);
        return Objects.requireNonNull(queued.id(), "prepare assigns an id");
    }

    /**
     * Submits many jobs in a few round trips: where the queue offers an {@link AtomicSubmit} with
     * the store, in one script or transaction per call (all or nothing), else with the store's
     * {@link StateStore#updateAll} and the queue's {@link JobQueue#putAll}. Each job is prepared
     * as {@link #submit(Job)} prepares one.
     *
     * <pre>{@code
     * List<Submission> batch = orders.stream().map(o -> client.submit("orders").input(o)).toList();
     * List<JobId> ids = client.submitAll(batch);
     * }</pre>
     *
     * <p>A submission with a {@linkplain Submission#uniqueKey unique key} is submitted on its own,
     * as {@link Submission#submit()} does, since its key must be checked first.
     *
     * @param submissions jobs described with {@link #submit(String)}, not yet submitted
     * @return the jobs' ids, in the order given (with a held unique key, the holder's)
     * @throws IllegalStateException if a submit hook returned null or changed a job's id or status
     * @throws dev.ergate.spi.ErgateBackendException if the backend fails; with an atomic submit
     *     nothing was queued, else the jobs not queued are marked FAILED as {@link #submit(Job)} does
     */
    public List<JobId> submitAll(List<Submission> submissions) {
        List<Job> jobs = new ArrayList<>(submissions.size());
        List<@Nullable JobId> uniqueIds = new ArrayList<>(submissions.size());
        for (Submission submission : submissions) {
            if (submission.unique()) {
                uniqueIds.add(submission.submit());
            } else {
                jobs.add(submission.toJob());
                uniqueIds.add(null);
            }
        }
        if (jobs.size() == submissions.size()) {
            return submitAllJobs(jobs);
        }
        List<JobId> batchIds = submitAllJobs(jobs);
        List<JobId> ids = new ArrayList<>(submissions.size());
        int next = 0;
        for (JobId uniqueId : uniqueIds) {
            ids.add(uniqueId != null ? uniqueId : batchIds.get(next++));
        }
        return ids;
    }

    /**
     * Submits jobs as built by the caller, as {@link #submitAll(List)} does.
     *
     * @param jobs the jobs
     * @return their ids, in the order given
     */
    public List<JobId> submitAllJobs(List<Job> jobs) {
        if (jobs.stream().anyMatch(job -> job.id() != null)) {
            // a caller's id must be checked against the store first (see submit(Job)): one by one
            List<JobId> ids = new ArrayList<>(jobs.size());
            for (Job job : jobs) {
                ids.add(submit(job));
            }
            return ids;
        }
        List<Job> queued = new ArrayList<>(jobs.size());
        List<JobId> ids = new ArrayList<>(jobs.size());
        for (Job job : jobs) {
            Job prepared = prepare(job);
            queued.add(prepared);
            ids.add(Objects.requireNonNull(prepared.id()));
        }
        if (queued.isEmpty()) {
            return ids;
        }
        if (atomicSubmit != null) {
            atomicSubmit.submit(queued);
            return ids;
        }
        if (store != null) {
            store.updateAll(queued);
        }
        try {
            queue.putAll(queued);
        } catch (RuntimeException e) {
            markUnqueued(queued, e);
            throw e;
        }
        return ids;
    }

    /**
     * Records the submitted job: over anything with {@code replace}; else only when its id is
     * new (a random id is; a caller's id is checked by the store's {@link JobStore#insert}).
     */
    private void record(Job queued, boolean replace, boolean randomId) {
        StateStore target = Objects.requireNonNull(store);
        if (!(target instanceof JobStore jobStore)) {
            target.update(queued);
        } else if (replace) {
            jobStore.replace(queued);
        } else if (randomId) {
            jobStore.update(queued);
        } else if (!jobStore.insert(queued)) {
            JobId id = Objects.requireNonNull(queued.id());
            String stored = jobStore.find(id).map(j -> j.status() + " job of workflow '" + j.workflowName() + "'")
                    .orElse("job");
            throw new IllegalStateException("a job with id " + id + " already exists (a " + stored
                    + "): submit refuses to overwrite it; use submit(\"" + queued.workflowName()
                    + "\").id(..).replace() to run it again under that id");
        }
    }

    /**
     * Records the job under a unique key through the store's {@link UniqueJobs} and queues it,
     * unless the key is held.
     *
     * @return the new job's id, or the holder's
     */
    JobId submitUnique(Job job, String key, Duration holdFor, boolean failIfExists) {
        if (!(store instanceof UniqueJobs unique)) {
            throw new IllegalStateException("uniqueKey('" + key + "') needs a store that keeps unique keys"
                    + " (UniqueJobs); this client has " + (store == null ? "no store" : store.getClass().getName()));
        }
        Job queued = prepare(job);
        Optional<JobId> holder = unique.recordUnique(queued, key, holdFor);
        if (holder.isPresent()) {
            if (failIfExists) {
                throw new DuplicateJobException(job.workflowName(), key, holder.get());
            }
            return holder.get();
        }
        put(queued);
        return Objects.requireNonNull(queued.id(), "prepare assigns an id");
    }

    /** {@return the job as it is recorded and queued: an id, QUEUED, the queue time, after the hooks} */
    private Job prepare(Job job) {
        JobId id = job.id() == null ? JobId.random() : job.id();
        // when it was queued: the start of its first step's queue wait (StepResult.queueWait)
        Job queued = job.toBuilder().id(id).status(JobStatus.QUEUED)
                .extraField(RuntimeFields.QUEUED_AT, LongNode.valueOf(System.currentTimeMillis())).build();
        for (SubmitHook hook : submitHooks) {
            Job changed = hook.beforeSubmit(queued);
            if (changed == null || !id.equals(changed.id()) || changed.status() != JobStatus.QUEUED) {
                throw new IllegalStateException("submit hook " + hook.getClass().getName() + " must return the job"
                        + " with its id " + id + " and status QUEUED, got " + changed);
            }
            queued = changed;
        }
        return queued;
    }

    /**
     * Puts the recorded job on the queue. When that fails for sure, records it FAILED (which also
     * frees a unique key); a transient failure (a timeout) may have put it all the same, so the
     * recorded QUEUED state is kept, and the caller may submit it again with {@code replace()}
     * (a duplicate message is dropped by the store's fence).
     */
    private void put(Job queued) {
        try {
            queue.put(queued);
        } catch (RuntimeException e) {
            boolean mayHaveLanded = e instanceof dev.ergate.spi.ErgateBackendException be && be.isTransient();
            if (store != null && !mayHaveLanded) {
                try {
                    store.update(queued.toBuilder()
                            .status(JobStatus.FAILED)
                            .exceptionTraceback("could not be queued: " + e)
                            .build());
                } catch (RuntimeException recordFailed) {
                    e.addSuppressed(recordFailed);
                }
            }
            throw e;
        }
    }

    private void markUnqueued(List<Job> jobs, RuntimeException failure) {
        if (store == null) {
            return;
        }
        List<Job> failed = new ArrayList<>(jobs.size());
        for (Job job : jobs) {
            failed.add(job.toBuilder().status(JobStatus.FAILED).exceptionTraceback("could not be queued: " + failure)
                    .build());
        }
        store.updateAll(failed);
    }

    /**
     * @param id a job id
     * @return the job's last recorded state; empty when unknown
     * @throws IllegalStateException if the client has no {@link JobStore}
     */
    public Optional<Job> find(JobId id) {
        return jobStore("find").find(id);
    }

    /**
     * Asks for a job to be cancelled (see {@link JobStore#requestCancel}).
     *
     * @param id a job id
     * @return true if the job is now CANCELLING, false if it is unknown or already final
     * @throws IllegalStateException if the client has no {@link JobStore}
     */
    public boolean cancel(JobId id) {
        return jobStore("cancel").requestCancel(id);
    }

    /**
     * Waits, without blocking a thread, for a job to reach a final status (COMPLETED, FAILED,
     * ABORTED or CANCELLED). All waiting futures share one polling thread; a {@link
     * FinalStateNotifier} (the store, or {@link Builder#finalStateNotifier}) completes them as
     * soon as the job ends, and polling then only backs it up. The
     * future completes on that shared thread: use the {@code ...Async} stages for slow work.
     *
     * @param id the job
     * @param timeout how long to wait; zero looks once
     * @return completed with the job's final state, or failed with a {@link
     *     java.util.concurrent.TimeoutException} naming the last status seen
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException if the client has no {@link JobStore}
     */
    public CompletableFuture<Job> await(JobId id, Duration timeout) {
        return awaiter("await").await(id, timeout);
    }

    /**
     * Manages recurring schedules: create or update, pause, resume, delete, list with next fire
     * times. A {@link dev.ergate.runtime.schedule.Scheduler} (in a worker, {@link
     * Ergate.Builder#schedules}) fires them.
     *
     * @return the schedules in the client's {@link Builder#scheduleStore schedule store}
     * @throws IllegalStateException if the client has no schedule store
     */
    public Schedules schedules() {
        if (scheduleStore == null) {
            throw new IllegalStateException("schedules() needs a ScheduleStore: build the client with"
                    + " ErgateClient.builder(queue).scheduleStore(store)");
        }
        return Schedules.of(scheduleStore, mapper, Clock.systemUTC());
    }

    JobAwaiter awaiter(String operation) {
        if (awaiter == null) {
            jobStore(operation);    // throws, naming what the client has instead
        }
        return Objects.requireNonNull(awaiter);
    }

    private JobStore jobStore(String operation) {
        if (store instanceof JobStore jobStore) {
            return jobStore;
        }
        throw new IllegalStateException(operation + " needs a JobStore; this client has "
                + (store == null ? "no store" : "a StateStore that can't be read: " + store.getClass().getName()));
    }

    JsonNode toJson(@Nullable Object value) {
        return value instanceof JsonNode node ? node : mapper.valueToTree(value);
    }

    /** Configures an {@link ErgateClient}. Not thread-safe. */
    public static final class Builder {
        private final JobQueue queue;
        private @Nullable StateStore store;
        private @Nullable ObjectMapper mapper;
        private final List<SubmitHook> submitHooks = new ArrayList<>();
        private @Nullable ScheduleStore scheduleStore;
        private @Nullable FinalStateNotifier notifier;

        private Builder(JobQueue queue) {
            this.queue = Objects.requireNonNull(queue, "queue");
        }

        /**
         * @param store where the submitted job's first state is recorded; a {@link JobStore}
         *     also enables {@link ErgateClient#find} and {@link ErgateClient#cancel}
         * @return this builder
         */
        public Builder store(@Nullable StateStore store) {
            this.store = store;
            return this;
        }

        /**
         * @param mapper converts inputs and contexts to JSON; the runtime's default when null
         * @return this builder
         */
        public Builder objectMapper(@Nullable ObjectMapper mapper) {
            this.mapper = mapper;
            return this;
        }

        /**
         * @param hook changes each job before it is submitted (a trace context, a submit time);
         *     hooks run in the order added
         * @return this builder
         */
        public Builder submitHook(SubmitHook hook) {
            submitHooks.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /**
         * @param store where recurring schedules are kept, for {@link ErgateClient#schedules()}
         * @return this builder
         */
        public Builder scheduleStore(@Nullable ScheduleStore store) {
            this.scheduleStore = store;
            return this;
        }

        /**
         * @param notifier wakes {@link ErgateClient#await} when a job becomes final, for a store
         *     that is not a {@link FinalStateNotifier} itself ({@code RedisFinalStateNotifier.over(store)},
         *     {@code JdbcBackend}'s); null (the default) uses the store's own, if any
         * @return this builder
         */
        public Builder finalStateNotifier(@Nullable FinalStateNotifier notifier) {
            this.notifier = notifier;
            return this;
        }

        /** {@return the client} */
        public ErgateClient build() {
            return new ErgateClient(this);
        }
    }
}
