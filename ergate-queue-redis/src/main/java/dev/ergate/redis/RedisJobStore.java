package dev.ergate.redis;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.JobFormatException;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.RuntimeFields;
import dev.ergate.spi.ErgateBackendException;
import dev.ergate.spi.JobPage;
import dev.ergate.spi.JobQuery;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.StaleStateException;
import dev.ergate.spi.StepStart;
import dev.ergate.spi.UniqueJobs;
import dev.ergate.spi.WriteFence;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.UnifiedJedis;

/**
 * A {@link JobStore} on Redis, made by {@link RedisBackend#store()}: one hash per job, sorted-set
 * indexes walked with a cursor (a page filtered by status and workflow may hold fewer jobs than
 * asked), every write one Lua script, final jobs deleted after the {@link
 * RedisStoreOptions#retention() retention}, unique keys ({@link UniqueJobs}) in one hash. Key
 * layout: the module README. Thread-safe.
 */
public final class RedisJobStore implements JobStore, UniqueJobs {

    private static final String FIELD_JSON = "json";
    private static final String FIELD_STATUS = "status";
    private static final String FIELD_EXPIRES = "expires";
    /** The start marker a claim writes instead of a new JSON (start_claimed in lib.lua): "index name". */
    private static final String FIELD_STARTED = "started";
    /** How often a unique record reads the key's holder again when another record changed it meanwhile. */
    private static final int UNIQUE_ATTEMPTS = 16;
    /** Entries one listing call looks at, at most, when it filters by status and workflow. */
    static final int FILTERED_SCAN = 1_000;
    /** Expired jobs one purge after a final write (or a cancel request) deletes, at most. */
    static final int PURGE_BATCH = 256;
    /** Expired jobs a listing deletes before it reads, at most. */
    static final int LIST_PURGE_BATCH = 64;
    /** The least time between two purges a final write starts, per store. */
    static final long PURGE_EVERY_NANOS = 1_000_000_000L;

    private final RedisBackend backend;
    private final RedisStoreOptions options;
    private final RedisKeys keys;
    private final JobCodec codec;
    private final Clock clock;
    private final RedisFailures failures;
    private final AtomicLong lastPurge = new AtomicLong(System.nanoTime() - PURGE_EVERY_NANOS);

    RedisJobStore(RedisBackend backend, RedisStoreOptions options) {
        this.backend = backend;
        this.options = options;
        this.keys = new RedisKeys(backend.options().namespace(), RedisQueueOptions.defaults().name());
        this.codec = backend.options().codec();
        this.clock = backend.options().clock();
        this.failures = backend.failures();
    }

    /** {@return the store's options} */
    public RedisStoreOptions options() {
        return options;
    }

    /**
     * Fenced by {@link WriteFence} in the script that writes: a state older than the stored one
     * (fewer steps completed, an earlier attempt, or the same progress without moving on) or a
     * non-final state over a final one is refused; a stored CANCELLING is kept over a non-final
     * state.
     *
     * @throws IllegalArgumentException if the job has no id
     * @throws StaleStateException if the write fence refused it; nothing written
     * @throws ErgateBackendException if Redis fails
     */
    @Override
    public void update(Job job) {
        if (!write(job, "fence")) {
            throw stale(job);
        }
    }

    /** Writes past the fence, a stored CANCELLING included: a deliberate resubmit of the same id. */
    @Override
    public void replace(Job job) {
        write(job, "replace");
    }

    /** One script: writes the job only when no job of its id is stored (or only one past its retention). */
    @Override
    public boolean insert(Job job) {
        return write(job, "insert");
    }

    /** {@return true when written, false when the fence refused the write} */
    private boolean write(Job job, String fence) {
        Row row = row(job);
        long now = clock.millis();
        Object stored = failures.call("update job ", job.id(), () -> Scripts.STORE_UPDATE.run(client(),
                keys.withIndexes(keys.storeKeys(row.member()), row.workflow()), List.of(row.member(), row.json(), row.status(), row.workflow(),
                        retentionMillis(), now, keys.indexPrefixBytes(), keys.jobPrefixBytes(), row.steps(), fence,
                        row.attempt())));
        afterWrite(job);
        return !Long.valueOf(0).equals(stored);
    }

    /**
     * Deletes jobs whose retention ran out, now and then: after a final state is written with a
     * retention, at most once per {@link #PURGE_EVERY_NANOS} per store (the scripts that write a
     * final state can't delete other jobs: their keys are not declared).
     */
    void afterWrite(Job job) {
        if (!job.status().isFinal() || retentionMillis() == 0) {
            return;
        }
        long now = System.nanoTime();
        long last = lastPurge.get();
        if (now - last >= PURGE_EVERY_NANOS && lastPurge.compareAndSet(last, now)) {
            purgeExpired(PURGE_BATCH);
        }
    }

    /**
     * Deletes up to {@code most} final jobs whose retention ran out, with their index entries
     * (purge_jobs.lua). A job past its retention is never found or listed, deleted or not.
     *
     * @return how many jobs it deleted
     */
    int purgeExpired(int most) {
        long now = clock.millis();
        Object deleted = failures.call("delete jobs past their retention", () -> Scripts.PURGE_JOBS.run(client(),
                keys.withIndexes(keys.storeKeys("")), List.of(now, most, keys.indexPrefix(), keys.jobPrefix())));
        return deleted instanceof Long n ? (int) (long) n : 0;
    }

    /** {@return the refusal of a write the fence stopped, naming what is stored} */
    StaleStateException stale(Job refused) {
        String what;
        try {
            what = find(Objects.requireNonNull(refused.id())).map(stored -> WriteFence.describe(stored, refused))
                    .orElse("job " + refused.id() + ": refused a stale write");
        } catch (RuntimeException e) {
            what = "job " + refused.id() + ": refused a stale write (the stored state could not be read: " + e + ")";
        }
        return new StaleStateException(this + ": " + what + "; nothing written", null);
    }

    /**
     * Records the job under {@code key} unless the job last recorded under it is stored and not
     * final, or its hold has not passed (by {@link RedisOptions#clock()}, as retention). Check and
     * write are one script ({@code unique_record.lua}); it reads the holder's status, so every way
     * a job becomes final (finish, cancel, dead letter, admin, retention) frees its key. The
     * script declares the holder's job key, so the holder is read first and the script refuses to
     * go on if another record changed it since (then it is read again).
     *
     * @throws IllegalArgumentException if the job has no id, the key is blank or {@code holdFor}
     *     is negative
     * @throws StaleStateException if a final job of that id is stored (a new state never
     *     replaces it); nothing written
     * @throws ErgateBackendException if Redis fails
     */
    @Override
    public Optional<JobId> recordUnique(Job job, String key, Duration holdFor) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(holdFor, "holdFor");
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("Redis store: the unique key of job " + job.id() + " of workflow '"
                    + job.workflowName() + "' must not be blank");
        }
        if (holdFor.isNegative()) {
            throw new IllegalArgumentException("Redis store: holdFor of unique key '" + key + "' must not be negative,"
                    + " got " + holdFor);
        }
        Row row = row(job);
        long holdMillis = holdFor.toMillis();
        String uniqueHash = keys.uniqueKeys();
        for (int attempt = 0; attempt < UNIQUE_ATTEMPTS; attempt++) {
            String seen = failures.call("read unique key '" + key + "'", () -> client().hget(uniqueHash, key));
            String holderKey = keys.job(seen == null ? row.member() : seen.substring(seen.indexOf(' ') + 1));
            List<Object> scriptKeys = new ArrayList<>(List.of(uniqueHash, holderKey));
            scriptKeys.addAll(keys.withIndexes(keys.storeKeys(row.member()), row.workflow()));
            long now = clock.millis();
            Object reply = failures.call("record job ", job.id(), () -> Scripts.UNIQUE_RECORD.run(client(), scriptKeys,
                    List.of(key, seen == null ? "" : seen, row.member(), row.json(), row.status(), row.workflow(),
                            retentionMillis(), now, keys.indexPrefixBytes(), keys.jobPrefixBytes(), row.steps(),
                            holdMillis, row.attempt())));
            List<?> outcome = (List<?>) Objects.requireNonNull(reply, "unique_record's reply");
            switch (text(outcome.get(0))) {
                case "recorded":
                    return Optional.empty();
                case "held":
                    return Optional.of(RedisKeys.idOf(text(outcome.get(1))));
                case "stale":
                    throw new StaleStateException(this + ": refused job " + job.id() + " under unique key '" + key
                            + "': a final job of that id is stored, which a new state never replaces; nothing written",
                            null);
                default:
                    break; // 'retry': another record changed the key's holder since it was read
            }
        }
        throw new ErgateBackendException(this + ": could not record job " + job.id() + " under unique key '" + key
                + "': its holder changed on each of " + UNIQUE_ATTEMPTS + " attempts (records of that key keep"
                + " racing); nothing written", null, true);
    }

    /**
     * One script: the check and the RUNNING write can't be split by a finish or a cancel request;
     * the rule is {@link StepStart#over(Job, Job)} ({@link StepStart#STALE} when the stored job
     * is further on than the delivery).
     *
     * @throws IllegalArgumentException if the job has no id
     * @throws ErgateBackendException if Redis fails
     */
    @Override
    public StepStart startStep(Job running) {
        Row row = row(running);
        long now = clock.millis();
        // the usual move is QUEUED -> RUNNING; the workflow index is for a job the store never saw
        Object reply = failures.call("start a step of job ", running.id(), () -> Scripts.START_STEP.run(client(),
                keys.withStatusMove(keys.storeKeys(row.member()), JobStatus.QUEUED, running.status(), row.workflow()),
                List.of(row.member(), row.json(), row.status(), row.workflow(),
                        retentionMillis(), now, keys.indexPrefixBytes(), keys.jobPrefixBytes(), row.steps(),
                        row.attempt())));
        return StepStart.valueOf(text(reply));
    }

    /**
     * @throws ErgateBackendException if Redis fails, or (not transient) the stored JSON is not a
     *     job any more
     */
    @Override
    public Optional<Job> find(JobId id) {
        Objects.requireNonNull(id, "id");
        String key = keys.job(RedisKeys.member(id));
        List<String> fields = failures.call("find job " + id,
                () -> client().hmget(key, FIELD_JSON, FIELD_STATUS, FIELD_EXPIRES, FIELD_STARTED));
        String json = fields.get(0);
        String expires = fields.get(2);
        if (json == null || (expires != null && Double.parseDouble(expires) <= clock.millis())) {
            return Optional.empty();
        }
        return Optional.of(toJob(key, json, fields.get(1), fields.get(3)));
    }

    /**
     * @throws IllegalArgumentException if the query's cursor is not one this store handed out
     * @throws ErgateBackendException if Redis fails, or (not transient) a stored JSON is not a job
     */
    @Override
    public JobPage list(JobQuery query) {
        Objects.requireNonNull(query, "query");
        long after = parseCursor(query.cursor());
        JobStatus status = query.status();
        String workflow = query.workflowName();
        List<String> indexes = indexes(status, workflow);
        List<Object> scriptKeys = new ArrayList<>(keys.storeKeys(""));
        scriptKeys.addAll(indexes);
        int pageSize = query.pageSize();
        // with both filters one index is walked and the other filter checked per entry: look at
        // more entries than a page holds, but a bounded number per call (Redis runs one script at a time)
        int most = status != null && workflow != null ? Math.max(pageSize + 1, FILTERED_SCAN) : pageSize + 1;
        purgeExpired(LIST_PURGE_BATCH);
        long now = clock.millis();
        Object reply = failures.call("list jobs", () -> Scripts.LIST_JOBS.run(client(), scriptKeys,
                List.of(after, pageSize, now, keys.indexPrefix(), keys.jobPrefix(),
                        status == null ? "" : status.name(), workflow == null ? "" : workflow, most)));
        List<?> rows = (List<?>) Objects.requireNonNull(reply, "list_jobs replied nothing");
        boolean more = Long.valueOf(1).equals(rows.get(0));
        String last = text(rows.get(1));
        List<Job> jobs = new ArrayList<>((rows.size() - 2) / 3);
        for (int i = 2; i + 2 < rows.size(); i += 3) {
            jobs.add(toJob(indexes.get(0), text(rows.get(i)), text(rows.get(i + 1)), text(rows.get(i + 2))));
        }
        return new JobPage(jobs, more && !last.isEmpty() ? last : null);
    }

    /**
     * A SCHEDULED or PENDING job (no message of it is on a queue) becomes CANCELLED at once; any
     * other job that is not final becomes CANCELLING.
     *
     * @throws ErgateBackendException if Redis fails
     */
    @Override
    public boolean requestCancel(JobId id) {
        Objects.requireNonNull(id, "id");
        String member = RedisKeys.member(id);
        purgeExpired(PURGE_BATCH);
        long now = clock.millis();
        Object done = failures.call("request cancellation of job " + id, () -> Scripts.REQUEST_CANCEL.run(
                client(), keys.withIndexes(keys.storeKeys(member)), List.of(member, now, keys.indexPrefix(), keys.jobPrefix(),
                retentionMillis())));
        return Long.valueOf(1).equals(done);
    }

    @Override
    public String toString() {
        return "RedisJobStore[" + keys.hashTag() + " on " + backend.options().parsedUri() + "]";
    }

    // ---------------------------------------------------------------- shared with the step finisher

    /** What a state update writes for one job. */
    record Row(String member, byte[] json, String status, String workflow, int steps, int attempt) {
    }

    Row row(Job job) {
        Objects.requireNonNull(job, "job");
        JobId id = job.id();
        if (id == null) {
            throw new IllegalArgumentException("a job needs an id to be stored; job of workflow '"
                    + job.workflowName() + "' has none");
        }
        return new Row(RedisKeys.member(id), codec.encode(job), job.status().name(), job.workflowName(),
                job.stepsCompleted(), WriteFence.attemptOf(job));
    }

    long retentionMillis() {
        return options.retention().toMillis();
    }

    RedisBackend backend() {
        return backend;
    }

    private UnifiedJedis client() {
        return backend.client();
    }

    /** {@return the index to walk for a query, then, with both filters, the other filter's index} */
    List<String> indexes(@Nullable JobStatus status, @Nullable String workflow) {
        if (status != null && workflow != null) {
            return List.of(keys.statusIndex(status.name()), keys.workflowIndex(workflow));
        }
        if (status != null) {
            return List.of(keys.statusIndex(status.name()));
        }
        if (workflow != null) {
            return List.of(keys.workflowIndex(workflow));
        }
        return List.of(keys.allJobs());
    }

    private Job toJob(String where, String json, @Nullable String status, @Nullable String started) {
        Job job;
        try {
            job = codec.decode(json);
        } catch (JobFormatException e) {
            throw new ErgateBackendException(this + ": a job stored under " + where + " is not a valid job any more: "
                    + e.getMessage(), e, false);
        }
        return withStart(job, status, started);
    }

    /**
     * {@return the stored job as its fields say: {@code json} decoded, then the hash's status
     * (a cancel request changes only that field) and its start marker applied}
     *
     * @param job the decoded {@code json} field
     * @param status the {@code status} field, or null
     * @param started the {@code started} field ("index name", written by a claim that started the
     *     step without rewriting the JSON: start_claimed in lib.lua), or null or empty for none
     */
    static Job withStart(Job job, @Nullable String status, @Nullable String started) {
        JobStatus stored = status == null ? job.status() : JobStatus.byName(status).orElse(job.status());
        if (started == null || started.isEmpty()) {
            return stored == job.status() ? job : job.toBuilder().status(stored).build();
        }
        int space = started.indexOf(' ');
        int index = Integer.parseInt(space < 0 ? started : started.substring(0, space));
        String stepName = space < 0 ? null : started.substring(space + 1);
        return started(job, stepName, index).toBuilder().status(stored).build();
    }

    /**
     * {@return {@code job} started at its step {@code index} named {@code stepName}: the RUNNING
     * state the runtime records before a step (status, step name, {@code current_step})}
     */
    static Job started(Job job, @Nullable String stepName, int index) {
        return job.toBuilder().status(JobStatus.RUNNING).stepName(stepName)
                .extraField(RuntimeFields.CURRENT_STEP, IntNode.valueOf(index)).build();
    }

    private static long parseCursor(@Nullable String cursor) {
        if (cursor == null) {
            return 0;
        }
        try {
            long after = Long.parseLong(cursor);
            if (after >= 0) {
                return after;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw new IllegalArgumentException("cursor '" + cursor + "' was not handed out by a RedisJobStore");
    }

    private static String text(Object reply) {
        return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
    }
}
