package dev.ergate.redis;

import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.JobFormatException;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.AtomicPublish;
import dev.ergate.spi.ErgateBackendException;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobSource;
import dev.ergate.spi.JobTooLargeException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publisher's {@link JobSource} over a {@link RedisJobStore}: hands out due SCHEDULED and
 * PENDING jobs, each claimed by one source at a time in a Lua script until it is reported or the
 * claim times out, so the worker/publisher split ({@code afterStepStatus(PENDING)}) runs on Redis.
 * Each instance is a distinct claimer. Thread-safe. How: the module README, "Publisher".
 */
public final class RedisJobSource implements JobSource {

    /** How long an unreported claim hides a job by default. */
    public static final Duration DEFAULT_CLAIM_TIMEOUT = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(RedisJobSource.class);
    private static final LuaScript SCAN = LuaScript.load("source_scan");
    private static final LuaScript CLAIM = LuaScript.load("source_claim");
    private static final LuaScript REPORT = LuaScript.load("source_published");
    private static final LuaScript PUBLISH = LuaScript.load("source_publish");
    /** Members of each status index one claim looks at, at least; waiting jobs beyond wait for a later pass. */
    static final int MIN_SCAN = 1_000;

    private final RedisJobStore store;
    private final RedisBackend backend;
    private final RedisKeys keys;
    private final JobCodec codec;
    private final Clock clock;
    private final Duration claimTimeout;
    private final String owner;
    private final String claimsKey;
    private final String claimOwnersKey;

    private RedisJobSource(RedisJobStore store, Duration claimTimeout) {
        this.store = store;
        this.backend = store.backend();
        this.keys = new RedisKeys(backend.options().namespace(), RedisQueueOptions.defaults().name());
        this.codec = backend.options().codec();
        this.clock = backend.options().clock();
        this.claimTimeout = claimTimeout;
        this.owner = UUID.randomUUID().toString();
        this.claimsKey = keys.hashTag() + ":source:claims";
        this.claimOwnersKey = keys.hashTag() + ":source:claimed";
    }

    /**
     * @param store the store whose waiting jobs to publish
     * @return a source with {@link #DEFAULT_CLAIM_TIMEOUT}
     */
    public static RedisJobSource over(RedisJobStore store) {
        return over(store, DEFAULT_CLAIM_TIMEOUT);
    }

    /**
     * @param store the store whose waiting jobs to publish
     * @param claimTimeout how long a claimed job that is not reported stays hidden (a crashed
     *     publisher's jobs come back after it); at least a millisecond
     * @return a new claimer
     * @throws IllegalArgumentException if {@code claimTimeout} is under a millisecond
     */
    public static RedisJobSource over(RedisJobStore store, Duration claimTimeout) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(claimTimeout, "claimTimeout");
        if (claimTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("claimTimeout must be at least 1 ms, got " + claimTimeout);
        }
        return new RedisJobSource(store, claimTimeout);
    }

    private record Candidate(String member, Job job, String sha1, Instant due) {
    }

    /**
     * Two round trips: a read of the waiting jobs (the due check needs the decoded start time),
     * then one script that claims the chosen ones if they are still unclaimed and unchanged.
     */
    @Override
    public List<Job> claimDue(Instant now, int max) {
        Objects.requireNonNull(now, "now");
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, got " + max);
        }
        long nowMillis = clock.millis();
        List<?> rows = (List<?>) backend.failures().call("scan waiting jobs", () -> SCAN.run(backend.client(),
                List.of(keys.statusIndex(JobStatus.PENDING.name()), keys.statusIndex(JobStatus.SCHEDULED.name()),
                        claimsKey),
                List.of(nowMillis, Math.max(MIN_SCAN, max * 4), keys.jobPrefix())));
        List<Candidate> due = new ArrayList<>();
        for (int i = 0; i + 2 < Objects.requireNonNull(rows, "a list").size(); i += 3) {
            Candidate candidate = candidate(text(rows.get(i)), text(rows.get(i + 1)), text(rows.get(i + 2)));
            if (candidate != null && !candidate.due().isAfter(now)) {
                due.add(candidate);
            }
        }
        if (due.isEmpty()) {
            return List.of();
        }
        // oldest due first, as claimDue promises; the index order (first stored) breaks ties
        due.sort(Comparator.comparing(Candidate::due));
        List<Candidate> chosen = due.subList(0, Math.min(max, due.size()));
        List<Object> args = new ArrayList<>(List.of(nowMillis, nowMillis + claimTimeout.toMillis(), owner,
                keys.jobPrefix()));
        Map<String, Candidate> byMember = new HashMap<>();
        List<Object> claimKeys = new ArrayList<>(List.of(claimsKey, claimOwnersKey));
        for (Candidate candidate : chosen) {
            args.add(candidate.member());
            args.add(candidate.sha1());
            byMember.put(candidate.member(), candidate);
            claimKeys.add(keys.job(candidate.member()));
        }
        List<?> claimed = (List<?>) backend.failures().call("claim due jobs",
                () -> CLAIM.run(backend.client(), claimKeys, args));
        List<Job> jobs = new ArrayList<>();
        for (Candidate candidate : chosen) {
            if (Objects.requireNonNull(claimed, "a list").stream().anyMatch(m -> text(m).equals(candidate.member()))) {
                jobs.add(candidate.job());
            }
        }
        return jobs;
    }

    private @Nullable Candidate candidate(String member, String json, String status) {
        Job job;
        try {
            job = codec.decode(json);
        } catch (JobFormatException e) {
            LOG.warn("{}: waiting job {} is not a valid job; not published: {}", this, member, e.getMessage());
            return null;
        }
        JobStatus stored = JobStatus.byName(status).orElse(job.status());
        if (stored != job.status()) {
            job = job.toBuilder().status(stored).build();
        }
        Instant start = job.requestedStartTime();
        return new Candidate(member, job, sha1Hex(json), start == null ? Instant.MIN : start);
    }

    /**
     * Records the job as it was put, and drops the claim, if this source still holds the claim
     * and the stored state is still the one claimed; otherwise writes nothing (a worker's newer
     * state is never overwritten by an older QUEUED).
     *
     * @throws ErgateBackendException if Redis fails
     */
    @Override
    public void published(Job queued) {
        report(queued, true);
    }

    /** Drops the claim, so the job is offered again at once. */
    @Override
    public void publishFailed(Job job, Exception failure) {
        LOG.warn("Publishing job {} of workflow '{}' failed; it will be offered again: {}", job.id(),
                job.workflowName(), String.valueOf(failure));
        report(job, false);
    }

    private void report(Job job, boolean write) {
        Objects.requireNonNull(job, "job");
        JobId id = job.id();
        if (id == null) {
            throw new IllegalArgumentException("reported job of workflow '" + job.workflowName() + "' has no id");
        }
        RedisJobStore.Row row = store.row(job);
        List<Object> keyList = new ArrayList<>(keys.storeKeys(row.member()));
        keyList.add(claimsKey);
        keyList.add(claimOwnersKey);
        keyList.addAll(keys.withIndexes(List.of(), row.workflow()));
        Object wrote = backend.failures().call((write ? "record published job " : "release the claim on job ") + id,
                () -> REPORT.run(backend.client(), keyList, List.of(row.member(), owner, row.json(), row.status(),
                        row.workflow(), clock.millis(), keys.indexPrefixBytes(), keys.jobPrefixBytes(),
                        write ? "write" : "drop")));
        if (write && !Long.valueOf(1).equals(wrote)) {
            LOG.debug("Published job {} was no longer claimed by {} as it was; its stored state is newer", id, owner);
        }
    }

    /**
     * On a {@link RedisJobQueue} of the same {@link RedisBackend} (same connection and namespace),
     * publishes in one Lua script: only while this source still holds the job's claim and the
     * stored state is the one it claimed, records the QUEUED state, drops the claim and puts the
     * message (with the job's priority and due time, as {@link RedisJobQueue#put} does), all or
     * nothing. So a publisher paused past its claim timeout, whose claim another publisher took
     * over, puts no second message for the job.
     *
     * @param queue the queue the publisher puts on
     * @return the atomic publish, or empty for a queue of another backend or system
     */
    @Override
    public Optional<AtomicPublish> atomicPublish(JobQueue queue) {
        Objects.requireNonNull(queue, "queue");
        if (queue instanceof RedisJobQueue redis && redis.backend() == backend) {
            return Optional.of(queued -> publishAtomically(redis, queued));
        }
        return Optional.empty();
    }

    /**
     * @throws JobTooLargeException if the job is over the queue's size limit; nothing is written
     */
    private boolean publishAtomically(RedisJobQueue queue, Job queued) {
        Objects.requireNonNull(queued, "queued");
        JobId id = queued.id();
        if (id == null) {
            throw new IllegalArgumentException("published job of workflow '" + queued.workflowName() + "' has no id");
        }
        byte[] body = queue.encode(queued);
        queue.ensureOpen("publish");
        RedisJobStore.Row row = store.row(queued);
        List<Object> keyList = new ArrayList<>(queue.keys().queueAndStoreKeys(row.member()));
        keyList.add(claimsKey);
        keyList.add(claimOwnersKey);
        keyList.addAll(queue.keys().withIndexes(List.of(), row.workflow()));
        Object put = backend.failures().call("publish job " + id,
                () -> PUBLISH.run(backend.client(), keyList, List.of(row.member(), owner, row.json(), row.status(),
                        row.workflow(), clock.millis(), queue.keys().indexPrefixBytes(), queue.keys().jobPrefixBytes(), row.attempt(),
                        body, RedisJobQueue.dueMillis(queued), queued.priority(), RedisJobQueue.putToken(queued))));
        if (Long.valueOf(1).equals(put)) {
            return true;
        }
        LOG.info("Job {} was no longer claimed by {} (its claim ran out or a newer state was written); not put",
                id, owner);
        return false;
    }

    /** {@return who this source claims as} */
    public String owner() {
        return owner;
    }

    private static String text(@Nullable Object reply) {
        if (reply instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return String.valueOf(reply);
    }

    /** The SHA-1 of the JSON as Redis's {@code redis.sha1hex} gives it (lower-case hex of the UTF-8 bytes). */
    private static String sha1Hex(String json) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(json.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-1", e);
        }
    }

    @Override
    public String toString() {
        return "RedisJobSource[" + backend.endpoint() + ", owner=" + owner + "]";
    }
}
