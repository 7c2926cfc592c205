package dev.ergate.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.JobFormatException;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.internal.PositionCursors;
import dev.ergate.spi.CursorPage;
import dev.ergate.spi.DeadLetter;
import dev.ergate.spi.DeadLetterFilter;
import dev.ergate.spi.ErgateBackendException;
import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobCounts;
import dev.ergate.spi.JobFilter;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobRepairs;
import dev.ergate.spi.RequeueResult;
import dev.ergate.spi.RetryOutcome;
import dev.ergate.spi.StoredJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The {@link JobAdmin} of a Redis namespace's jobs and one queue's dead letters ({@link
 * RedisBackend#admin()}; with another backend's queue, no dead letters: {@link
 * RedisBackend#admin(RedisJobStore, JobQueue)}). Every operation but {@link #history} (Redis keeps
 * a job's last state only); retry and requeue are one script each. What each costs is in the
 * module README. Thread-safe.
 */
public final class RedisJobAdmin implements JobAdmin {

    /** Entries one listing or purge script looks at, at most, per call. */
    static final int SCAN_BATCH = 500;
    private static final String CURSOR_PREFIX = "redis-admin:";
    private static final List<JobStatus> FINAL = List.of(
            JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.ABORTED, JobStatus.CANCELLED);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final RedisBackend backend;
    private final RedisJobStore store;
    /** The queue retried jobs go to and whose dead letters are managed, when it is this backend's. */
    private final @Nullable RedisJobQueue queue;
    /** The queue retried jobs go to when it is another backend's (an SQS queue), else null. */
    private final @Nullable JobQueue foreignQueue;
    private final RedisKeys keys;
    private final JobCodec codec;
    private final Clock clock;
    private final RedisFailures failures;

    /** @param retryQueue a {@link RedisJobQueue} of this backend, or another backend's queue */
    RedisJobAdmin(RedisBackend backend, RedisJobStore store, JobQueue retryQueue) {
        this.backend = backend;
        this.store = store;
        this.queue = retryQueue instanceof RedisJobQueue redis && redis.backend() == backend ? redis : null;
        this.foreignQueue = queue == null ? retryQueue : null;
        // without a queue of its own the queue keys are unused (the retry script is told not to enqueue)
        this.keys = new RedisKeys(backend.options().namespace(),
                queue == null ? RedisQueueOptions.defaults().name() : queue.options().name());
        this.codec = backend.options().codec();
        this.clock = backend.options().clock();
        this.failures = backend.failures();
    }

    @Override
    public Set<Operation> operations() {
        if (queue == null) {
            return EnumSet.complementOf(EnumSet.of(Operation.JOB_HISTORY, Operation.LIST_DEAD_LETTERS,
                    Operation.REQUEUE_DEAD_LETTERS, Operation.PURGE_DEAD_LETTERS));
        }
        return EnumSet.complementOf(EnumSet.of(Operation.JOB_HISTORY));
    }

    /** Finds the namespace's workflows (SCAN of its workflow index keys), then counts per status. */
    @Override
    public JobCounts countJobs() {
        List<String> workflows = workflows();
        JobCounts.Builder counts = JobCounts.builder();
        for (int from = 0; from < workflows.size(); from += 100) {
            List<String> args = new ArrayList<>();
            args.add(keys.indexPrefix());
            List<String> batch = workflows.subList(from, Math.min(workflows.size(), from + 100));
            args.addAll(batch);
            // every index it counts is declared: the call goes to the namespace's node, and a
            // cluster moving the slot redirects it before it runs
            List<byte[]> indexes = keys.withIndexes(List.of(), batch.toArray(String[]::new));
            List<?> reply = (List<?>) failures.call("count jobs",
                    () -> Scripts.ADMIN_COUNTS.run(client(), indexes, args));
            String workflow = null;
            for (int i = 0; i < Objects.requireNonNull(reply).size(); i++) {
                String item = text(reply.get(i));
                if (workflow == null) {
                    workflow = item;
                } else if (item.isEmpty()) {
                    workflow = null;
                } else {
                    counts.add(workflow, JobStatus.valueOf(item), ((Number) reply.get(++i)).longValue());
                }
            }
        }
        return counts.build();
    }

    private List<String> workflows() {
        String prefix = keys.workflowIndex("");
        ScanParams params = new ScanParams().match(globEscape(prefix) + "*").count(1000);
        Set<String> names = new TreeSet<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            String at = cursor;
            ScanResult<String> page = failures.call("find workflows (SCAN)", () -> client().scan(at, params));
            for (String key : page.getResult()) {
                names.add(key.substring(prefix.length()));
            }
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        return new ArrayList<>(names);
    }

    private static String globEscape(String text) {
        return text.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }

    /**
     * Walks the status or workflow index (or all jobs) by sequence; the id prefix and update-time
     * filters are checked per job, so a page may take several script calls.
     */
    @Override
    public CursorPage<StoredJob> listJobs(JobFilter filter) {
        Objects.requireNonNull(filter, "filter");
        long after = parseCursor(filter.cursor());
        List<Object> scriptKeys = new ArrayList<>(keys.storeKeys(""));
        scriptKeys.addAll(store.indexes(filter.status(), filter.workflowName()));
        List<StoredJob> page = new ArrayList<>();
        long lastOnPage = after;
        while (true) {
            long from = after;
            long now = clock.millis();
            List<?> rows = (List<?>) Objects.requireNonNull(failures.call("list jobs", () ->
                    Scripts.ADMIN_LIST_JOBS.run(client(), scriptKeys, List.of(from, SCAN_BATCH, now, keys.indexPrefix(),
                            keys.jobPrefix(), filter.status() == null ? "" : filter.status().name(),
                            filter.workflowName() == null ? "" : filter.workflowName()))));
            boolean more = Long.valueOf(1).equals(rows.get(0));
            String last = text(rows.get(1));
            for (int i = 2; i + 4 < rows.size(); i += 5) {
                StoredJob stored = stored(text(rows.get(i)), text(rows.get(i + 1)), text(rows.get(i + 2)),
                        text(rows.get(i + 4)));
                if (!filter.matches(stored)) {
                    continue;
                }
                if (page.size() == filter.pageSize()) {
                    return new CursorPage<>(page, cursor(lastOnPage));
                }
                page.add(stored);
                lastOnPage = Long.parseLong(text(rows.get(i + 3)));
            }
            if (!more || last.isEmpty()) {
                return new CursorPage<>(page, null);
            }
            after = Long.parseLong(last);
        }
    }

    @Override
    public Optional<StoredJob> findJob(JobId id) {
        Objects.requireNonNull(id, "id");
        String key = keys.job(RedisKeys.member(id));
        List<String> fields = failures.call("find job " + id,
                () -> client().hmget(key, "json", "status", "expires", "updated", "started"));
        String json = fields.get(0);
        String expires = fields.get(2);
        if (json == null || (expires != null && Double.parseDouble(expires) <= clock.millis())) {
            return Optional.empty();
        }
        return Optional.of(stored(json, fields.get(1), fields.get(3), fields.get(4)));
    }

    private StoredJob stored(String json, @Nullable String status, @Nullable String updated, @Nullable String started) {
        Job job;
        try {
            job = codec.decode(json);
        } catch (JobFormatException e) {
            throw new ErgateBackendException(this + ": a stored job is not a valid job any more: " + e.getMessage(),
                    e, false);
        }
        job = RedisJobStore.withStart(job, status, started);
        Instant at = updated == null || updated.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(updated));
        return new StoredJob(job, at);
    }

    @Override
    public boolean cancelJob(JobId id) {
        return store.requestCancel(id);
    }

    @Override
    public RetryOutcome retryJob(JobId id) {
        Objects.requireNonNull(id, "id");
        Optional<Job> found = store.find(id);
        if (found.isEmpty()) {
            return RetryOutcome.NOT_FOUND;
        }
        Job ended = found.get();
        if (!JobRepairs.isRetryable(ended.status())) {
            return RetryOutcome.NOT_RETRYABLE;
        }
        Job retried = JobRepairs.retried(ended);
        String member = RedisKeys.member(id);
        List<Object> scriptKeys = new ArrayList<>(keys.queueKeys());
        scriptKeys.addAll(keys.withIndexes(keys.storeKeys(member), retried.workflowName()));
        Object reply = failures.call("retry job " + id, () -> Scripts.ADMIN_RETRY.run(client(), scriptKeys,
                List.of(member, ended.status().name(), codec.encode(retried), retried.workflowName(), clock.millis(),
                        keys.indexPrefix(), keys.jobPrefix(), foreignQueue == null ? "1" : "0", retried.stepsCompleted(),
                        retried.priority())));
        long done = ((Number) Objects.requireNonNull(reply)).longValue();
        if (done != 1) {
            return done == 0 ? RetryOutcome.NOT_RETRYABLE : RetryOutcome.NOT_FOUND;
        }
        if (foreignQueue != null) {
            JobRepairs.putOrRestore(foreignQueue, retried, () -> store.update(ended));
        }
        return RetryOutcome.RETRIED;
    }

    @Override
    public boolean deleteJob(JobId id) {
        Objects.requireNonNull(id, "id");
        String member = RedisKeys.member(id);
        Object reply = failures.call("delete job " + id, () -> Scripts.ADMIN_DELETE.run(client(),
                keys.withIndexes(keys.storeKeys(member)), List.of(member, keys.indexPrefix(), keys.jobPrefix())));
        return Long.valueOf(1).equals(reply);
    }

    /**
     * Walks the four final status indexes, {@value #SCAN_BATCH} jobs per script call; then deletes
     * the unique-key entries that are free (holder final or gone, hold passed), which nothing else
     * deletes (see {@link #sweepUniqueKeys()}).
     */
    @Override
    public long purgeJobs(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        long deleted = 0;
        for (JobStatus status : FINAL) {
            List<Object> scriptKeys = new ArrayList<>(keys.storeKeys(""));
            scriptKeys.add(keys.statusIndex(status.name()));
            scriptKeys.addAll(keys.statusIndexes()); // the job keys and workflow indexes: named by the script
            String after = "0";
            while (true) {
                String from = after;
                List<?> reply = (List<?>) Objects.requireNonNull(failures.call("purge " + status + " jobs", () ->
                        Scripts.ADMIN_PURGE_JOBS.run(client(), scriptKeys, List.of(from, SCAN_BATCH,
                                cutoff.toEpochMilli(), keys.indexPrefix(), keys.jobPrefix()))));
                deleted += ((Number) reply.get(0)).longValue();
                if (!Long.valueOf(1).equals(reply.get(1))) {
                    break;
                }
                after = text(reply.get(2));
            }
        }
        sweepUniqueKeys();
        return deleted;
    }

    /**
     * Walks {@code {ns}:jobs:unique} with {@code HSCAN} and deletes each entry whose hold has
     * passed and whose holder is final, gone or past its retention: such a key is free already,
     * so this changes only memory. One script per scanned batch, declaring each holder's job key.
     *
     * @return how many entries were deleted
     */
    long sweepUniqueKeys() {
        String hash = keys.uniqueKeys();
        ScanParams params = new ScanParams().count(SCAN_BATCH);
        String cursor = ScanParams.SCAN_POINTER_START;
        long deleted = 0;
        do {
            String from = cursor;
            ScanResult<Map.Entry<String, String>> batch = failures.call("scan unique keys",
                    () -> client().hscan(hash, from, params));
            long now = clock.millis();
            List<Object> scriptKeys = new ArrayList<>(List.of(hash));
            List<Object> args = new ArrayList<>(List.of(now));
            for (Map.Entry<String, String> entry : batch.getResult()) {
                String value = entry.getValue();
                int space = value.indexOf(' ');
                if (space > 0 && Long.parseLong(value.substring(0, space)) <= now) {
                    scriptKeys.add(keys.job(value.substring(space + 1)));
                    args.add(entry.getKey());
                    args.add(value);
                }
            }
            if (scriptKeys.size() > 1) {
                Object reply = failures.call("delete free unique keys",
                        () -> Scripts.UNIQUE_SWEEP.run(client(), scriptKeys, args));
                deleted += ((Number) Objects.requireNonNull(reply)).longValue();
            }
            cursor = batch.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        return deleted;
    }

    // ---------------------------------------------------------------- dead letters

    /** A dead-letter list entry: its exact bytes, what they say, and the message's bytes. */
    private record Entry(byte[] raw, DeadLetter letter, byte[] body, long order) {
    }

    private RedisJobQueue deadLetterQueue(Operation operation) {
        if (queue == null) {
            throw unsupported(operation);
        }
        return queue;
    }

    /** Reads the whole dead-letter list (LRANGE 0 -1), in message order. */
    private List<Entry> entries(Operation operation) {
        RedisJobQueue queue = deadLetterQueue(operation);
        byte[] key = keys.dead().getBytes(StandardCharsets.UTF_8);
        List<byte[]> raw = failures.call("read dead letters", () -> client().lrange(key, 0, -1));
        List<Entry> entries = new ArrayList<>(raw.size());
        for (byte[] record : raw) {
            DeadLetter letter = DeadLetterRecords.read(record, queue.options().name());
            entries.add(new Entry(record, letter, body(record, letter), order(letter.id())));
        }
        entries.sort(Comparator.comparingLong(Entry::order));
        return entries;
    }

    private static byte[] body(byte[] record, DeadLetter letter) {
        try {
            JsonNode tree = JSON.readTree(record);
            if (tree != null && tree.hasNonNull("text_base64")) {
                return Base64.getDecoder().decode(tree.get("text_base64").asText());
            }
        } catch (IOException | IllegalArgumentException e) {
            // not one of ours: its text is the body
        }
        return letter.body().getBytes(StandardCharsets.UTF_8);
    }

    private static long order(String messageId) {
        try {
            return Long.parseLong(messageId.startsWith("#") ? messageId.substring(1) : messageId);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Reads the whole dead-letter list per page: O(dead letters). */
    @Override
    public CursorPage<DeadLetter> listDeadLetters(DeadLetterFilter filter) {
        Objects.requireNonNull(filter, "filter");
        long after = filter.cursor() == null ? Long.MIN_VALUE : parseCursor(filter.cursor());
        List<DeadLetter> page = new ArrayList<>();
        long lastOnPage = after;
        for (Entry entry : entries(Operation.LIST_DEAD_LETTERS)) {
            if (entry.order() <= after || !filter.matches(entry.letter())) {
                continue;
            }
            if (page.size() == filter.pageSize()) {
                return new CursorPage<>(page, cursor(lastOnPage));
            }
            page.add(entry.letter());
            lastOnPage = entry.order();
        }
        return new CursorPage<>(page, null);
    }

    @Override
    public RequeueResult requeueDeadLetter(String id) {
        Objects.requireNonNull(id, "id");
        return requeue(entries(Operation.REQUEUE_DEAD_LETTERS).stream()
                .filter(e -> e.letter().id().equals(id)).toList());
    }

    @Override
    public RequeueResult requeueDeadLetters(DeadLetterFilter filter) {
        Objects.requireNonNull(filter, "filter");
        return requeue(entries(Operation.REQUEUE_DEAD_LETTERS).stream()
                .filter(e -> filter.matches(e.letter())).toList());
    }

    private RequeueResult requeue(List<Entry> entries) {
        List<String> requeued = new ArrayList<>();
        List<RequeueResult.Kept> kept = new ArrayList<>();
        for (Entry entry : entries) {
            Job job;
            try {
                job = codec.decode(entry.body());
            } catch (JobFormatException e) {
                kept.add(new RequeueResult.Kept(entry.letter().id(), "still not a job: " + e.getMessage()));
                continue;
            }
            JobId jobId = job.id();
            String member = jobId == null ? "" : RedisKeys.member(jobId);
            List<Object> scriptKeys = new ArrayList<>(keys.queueKeys());
            Job queued = job.toBuilder().status(JobStatus.QUEUED).build();
            scriptKeys.addAll(keys.withIndexes(keys.storeKeys(member), queued.workflowName()));
            Object reply = failures.call("requeue dead letter " + entry.letter().id(), () -> Scripts.ADMIN_REQUEUE.run(
                    client(), scriptKeys, List.of(entry.raw(), entry.body(), clock.millis(), member,
                            codec.encode(queued), queued.workflowName(), keys.indexPrefix(), keys.jobPrefix(),
                            queued.stepsCompleted(), queued.priority())));
            if (Long.valueOf(1).equals(reply)) {
                requeued.add(entry.letter().id());
            }
        }
        return new RequeueResult(requeued, kept);
    }

    /** Reads the whole list, then removes each old record by value (LREM). */
    @Override
    public long purgeDeadLetters(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        byte[] key = keys.dead().getBytes(StandardCharsets.UTF_8);
        long deleted = 0;
        for (Entry entry : entries(Operation.PURGE_DEAD_LETTERS)) {
            if (entry.letter().at().isBefore(cutoff)) {
                deleted += failures.call("purge dead letters", () -> client().lrem(key, 1, entry.raw()));
            }
        }
        return deleted;
    }

    @Override
    public boolean tryRetentionLease(String owner, Duration duration) {
        Objects.requireNonNull(owner, "owner");
        long millis = Math.max(1, duration.toMillis());
        Object reply = failures.call("take the retention lease", () -> Scripts.ADMIN_LEASE.run(client(),
                List.of(keys.hashTag() + ":admin:retention"), List.of(owner, millis)));
        return Long.valueOf(1).equals(reply);
    }

    // ---------------------------------------------------------------- helpers

    private UnifiedJedis client() {
        return backend.client();
    }

    private static String cursor(long position) {
        return PositionCursors.encode(CURSOR_PREFIX, position);
    }

    private static long parseCursor(@Nullable String cursor) {
        return PositionCursors.decode(CURSOR_PREFIX, cursor, "RedisJobAdmin", 0);
    }

    private static String text(Object reply) {
        return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    @Override
    public String toString() {
        return "RedisJobAdmin[" + keys.hashTag() + ", queue " + (queue == null ? String.valueOf(foreignQueue)
                : "'" + queue.options().name() + "'") + " on " + backend.endpoint() + "]";
    }
}
