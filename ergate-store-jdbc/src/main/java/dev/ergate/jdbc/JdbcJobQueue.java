package dev.ergate.jdbc;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.RuntimeFields;
import dev.ergate.internal.Batcher;
import dev.ergate.internal.Deadlines;
import dev.ergate.internal.JobSizes;
import dev.ergate.internal.UndecodableMessages;
import dev.ergate.spi.AtomicStepFinish;
import dev.ergate.spi.AtomicSubmit;
import dev.ergate.spi.DeadLetter;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.ErgateBackendException;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.JobTooLargeException;
import dev.ergate.spi.QueueCounts;
import dev.ergate.spi.QueueStats;
import dev.ergate.spi.StaleStateException;
import dev.ergate.spi.StateStore;
import dev.ergate.spi.StepPlan;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link JobQueue} in a PostgreSQL table, from {@link JdbcBackend#queue()}: leases claimed with
 * {@code FOR UPDATE SKIP LOCKED}, takers woken by {@code NOTIFY} (and a poll interval in case one
 * is lost), an {@linkplain #atomicStepFinish atomic step finish} with a {@link JdbcJobStore} in
 * one shared transaction, undecodable rows dead-lettered. The why: the module README,
 * "Guarantees". Thread-safe.
 */
public final class JdbcJobQueue implements JobQueue, QueueStats {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcJobQueue.class);
    private static final long MIN_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long LISTENER_DOWN_POLL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Finishes per statement at most, to bound the statement's size and the rows it locks. */
    static final int MAX_FINISH_BATCH = 64;

    private final JdbcBackend backend;
    private final Jdbi jdbi;
    private final JdbcOptions options;
    private final String queueName;
    private final Duration leaseTime;
    private final JobCodec codec;
    private final Listener listener;
    private final Signal signal;
    private final ConcurrentLinkedQueue<JdbcDelivery> handoff = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waitingTakers = new AtomicInteger();
    private final AtomicInteger finishing = new AtomicInteger();
    private final Map<FinishTarget, Batcher<StepFinish>> combiners = new ConcurrentHashMap<>();
    private final Map<JdbcJobStore, SubmitStatement> submitStatements = new ConcurrentHashMap<>();
    private volatile boolean closed;
    /** Set by {@link #startOnTake}: the claim then starts steps too. */
    private volatile @Nullable Starter starter;

    private final String putSql;
    private final String putVersionedSql;
    private final String notifySql;
    private final String claimSql;
    private final String nextVisibleSql;
    private final String ackSql;
    private final String releaseSql;
    private final String unclaimSql;
    private final String setAsideSql;
    private final String extendSql;
    private final String deadLetterSql;
    private final String deadLettersSql;
    private final String trimDeadSql;
    private final String countsSql;

    JdbcJobQueue(JdbcBackend backend, String queueName, Duration leaseTime) {
        this.backend = backend;
        this.jdbi = backend.jdbi();
        this.options = backend.options();
        this.codec = options.codec();
        this.queueName = queueName;
        this.leaseTime = leaseTime;
        this.listener = backend.listener();
        this.signal = listener.signal(queueName);
        Tables t = backend.tables();
        // every time a lease or a due time is compared with comes from the database's clock
        // (now(): the statement's transaction start), never a worker's, so a worker whose clock
        // runs ahead neither steals live leases nor takes delayed jobs early
        this.putSql = t.render("insert into {queue} (queue_name, job_id, payload, visible_at, enqueued_at, priority) "
                + "values (:queue, :job_id, :payload, greatest(cast(:start as timestamptz), now()), now(), :priority)");
        this.putVersionedSql = t.render("insert into {queue} (queue_name, job_id, payload, visible_at, enqueued_at, "
                + "priority, job_id_is_number, job_version) values (:queue, :job_id, :payload, "
                + "greatest(cast(:start as timestamptz), now()), now(), :priority, :id_is_number, :version)");
        this.notifySql = "select pg_notify(:channel, :queue)";
        // plain JDBC (positional parameters: max bytes, queue, n, lease ms, token, owner): it runs
        // for every few steps. A body over the size limit (pushed by a foreign producer: put
        // refuses one) is moved to the dead letters inside the statement, never sent here:
        // octet_length of a stored bytea reads its header, not the value.
        this.claimSql = claimSql(t, null, false);
        this.nextVisibleSql = t.render("select extract(epoch from min(visible_at) - clock_timestamp()) * 1000 as ms "
                + "from {queue} where queue_name = :queue");
        this.ackSql = t.render("delete from {queue} where id = :id and lease_token = :token");
        this.releaseSql = t.render("update {queue} set visible_at = now() + :delay_ms * interval '1 millisecond', "
                + "lease_token = null, lease_owner = null where id = :id and lease_token = :token");
        this.unclaimSql = t.render("update {queue} set visible_at = now(), lease_token = null, lease_owner = null, "
                + "delivery_count = greatest(delivery_count - 1, 0) where id = :id and lease_token = :token");
        this.setAsideSql = t.render("update {queue} set visible_at = now() + :delay_ms * interval '1 millisecond', "
                + "lease_token = null, lease_owner = null, delivery_count = greatest(delivery_count - 1, 0) "
                + "where id = :id and lease_token = :token");
        this.extendSql = t.render("update {queue} set visible_at = now() + :ms * interval '1 millisecond' "
                + "where id = :id and lease_token = :token returning visible_at");
        this.deadLetterSql = t.render("with m as (delete from {queue} where id = :id and lease_token = :token "
                + "returning queue_name, job_id, payload, delivery_count, enqueued_at) "
                + "insert into {dead} (queue_name, job_id, payload, reason, delivery_count, enqueued_at, dead_at) "
                + "select queue_name, job_id, payload, :reason, delivery_count, enqueued_at, now() from m");
        this.trimDeadSql = t.render("delete from {dead} where queue_name = :queue and id < (select id from {dead} "
                + "where queue_name = :queue order by id desc offset cast(:keep as integer) - 1 limit 1)");
        this.deadLettersSql = t.render("select id, queue_name, job_id, payload, reason, delivery_count, "
                + "enqueued_at, dead_at from {dead} where queue_name = :queue order by id limit :limit");
        this.countsSql = t.render("select count(*) filter (where lease_token is null and visible_at <= now()) as ready, "
                + "count(*) filter (where lease_token is null and visible_at > now()) as delayed, "
                + "count(*) filter (where lease_token is not null) as in_flight, "
                + "(select count(*) from {dead} where queue_name = :queue) as dead "
                + "from {queue} where queue_name = :queue");
    }

    /**
     * The claim: leases up to n ready messages (highest priority, then oldest first) with {@code
     * FOR UPDATE SKIP LOCKED}; a body over the size limit (pushed by a foreign producer: put
     * refuses one) is moved to the dead letters inside the statement, never sent here ({@code
     * octet_length} of a stored bytea reads its header, not the value). Positional parameters:
     * max bytes, queue, n, max bytes, lease ms, token, owner; with {@code startIn}, then the step
     * plan (JSONB) and the update time. Plain JDBC: it runs for every few steps.
     *
     * <p>With {@code startIn} (the jobs table of a {@link #startOnTake} store), the same
     * statement also starts the step of each first delivery whose job row is still the version
     * the message was written with (schema version 6: {@code job_version}, set by the atomic
     * finish and submit) and QUEUED, as {@link JdbcJobStore#startStep} would: RUNNING, the plan's
     * step name for its step index, {@code current_step} set, version and update time, plus its
     * history row. Since the stored row is the message's own state and QUEUED, neither a cancel
     * request nor the {@link dev.ergate.spi.WriteFence} can stand in the way (PostgreSQL checks
     * both conditions again on the newest row version if a concurrent writer got there first).
     * The statement returns the step it started, if any, with each message.
     */
    private static String claimSql(Tables t, @Nullable Tables startIn, boolean recordHistory) {
        StringBuilder sql = new StringBuilder(t.render("with c as (select id, priority, visible_at, "
                + "octet_length(payload) as bytes, octet_length(payload) > ? as too_big from {queue} "
                + "where queue_name = ? and visible_at <= now() "
                + "order by priority desc, visible_at, id limit ? for update skip locked), "
                + "big as (delete from {queue} m using c where m.id = c.id and c.too_big "
                + "returning m.id, m.queue_name, m.job_id, m.payload, m.delivery_count, m.enqueued_at, c.bytes), "
                + "dl as (insert into {dead} (queue_name, job_id, payload, reason, delivery_count, enqueued_at, dead_at) "
                + "select queue_name, job_id, payload, 'too large to take: ' || bytes || ' bytes, over the limit of ' "
                + "|| ? || ' (JdbcOptions.maxJobBytes)', delivery_count + 1, enqueued_at, now() from big), "
                + "u as (update {queue} m set visible_at = now() + ? * interval '1 millisecond', lease_token = ?, "
                + "lease_owner = ?, "
                + "delivery_count = m.delivery_count + 1 from c where m.id = c.id and not c.too_big "
                + "returning m.id, m.job_id, m.payload, m.delivery_count, c.visible_at as was_visible_at, c.priority, "
                + "m.visible_at as lease_until, m.job_id_is_number, m.job_version, "
                // a lost claim is harmless (the row is just claimable again): don't wait for the disk
                + "set_config('synchronous_commit', 'off', true) as async_commit)"));
        if (startIn == null) {
            return sql.append(" select id, job_id, payload, delivery_count, was_visible_at, priority, lease_until, "
                    + "null as bytes from u union all select id, job_id, null, delivery_count, now(), 0, now(), bytes "
                    + "from big").toString();
        }
        String field = dev.ergate.RuntimeFields.CURRENT_STEP;
        String current = "(j.extra_fields -> '" + field + "')";
        // the step index as JobRunner finds it: current_step, else (no step name either) steps completed
        String index = "(case when jsonb_typeof(" + current + ") = 'number' and (j.extra_fields ->> '" + field
                + "') ~ '^[0-9]{1,9}$' then cast(j.extra_fields ->> '" + field + "' as integer) "
                + "when coalesce(jsonb_typeof(" + current + "), 'null') = 'null' and j.step_name is null "
                + "then j.steps_completed end)";
        String name = "((sp.plan -> j.workflow_name) ->> " + index + ")";
        sql.append(", x as (select u.id as message_id, u.job_id, u.job_id_is_number, u.job_version from u "
                        + "where u.delivery_count = 1 and u.job_version is not null and u.job_id is not null), ")
                .append("sp as (select cast(? as jsonb) as plan, cast(? as timestamptz) as at), ")
                // the rows as they were before the start (the statement's snapshot; the start's
                // version check makes them the rows it replaced): what a give-back restores
                // (JdbcJobQueue.giveBack); JSONB as its text, which reads back as the same value
                .append(startIn.render("o as (select id, id_is_number, step_name, cast(extra_fields as text) "
                        + "as extra_fields, updated_at from {jobs} "
                        + "where id = any(array(select job_id from x))), "))
                .append(startIn.render("st as (update {jobs} as j set status = 'RUNNING', step_name = " + name
                        + ", extra_fields = jsonb_set(coalesce(j.extra_fields, '{}'), '{" + field + "}', to_jsonb("
                        + index + ")), version = j.version + 1, updated_at = sp.at, claimed_by = null, "
                        + "claim_expires_at = null from x cross join sp join o on o.id = x.job_id "
                        + "and o.id_is_number = x.job_id_is_number "
                        // = any(array(...)): an index scan of the primary key, never a join over the whole table
                        + "where j.id = any(array(select job_id from x)) "
                        + "and j.id = x.job_id and j.id_is_number = x.job_id_is_number and j.version = x.job_version "
                        + "and j.status = 'QUEUED' and (j.requested_start_time is null or j.requested_start_time <= now()) "
                        + "and " + name + " is not null "
                        + "returning x.message_id, j.id, j.id_is_number, j.version, j.status, j.step_name, "
                        + "j.steps_completed, j.percent_completed, j.updated_at, "
                        + "cast(j.extra_fields ->> '" + field + "' as integer) as step_index, "
                        + "o.step_name as was_step, o.extra_fields as was_extra, o.updated_at as was_updated_at)"));
        if (recordHistory) {
            sql.append(", h as (").append(startIn.render(JdbcJobStore.historyInsert("st"))).append(")");
        }
        return sql.append(" select u.id, u.job_id, u.payload, u.delivery_count, u.was_visible_at, u.priority, "
                + "u.lease_until, null as bytes, st.step_name as started_step, st.step_index as started_index, "
                + "st.id_is_number as started_id_is_number, st.version as started_version, st.was_step, st.was_extra, "
                + "st.was_updated_at from u left join st on st.message_id = u.id "
                + "union all select id, job_id, null, delivery_count, now(), 0, now(), bytes, null, null, null, null, "
                + "null, null, null from big")
                .toString();
    }

    /** {@return the backend this queue belongs to} */
    JdbcBackend backend() {
        return backend;
    }

    /** {@return the queue's name: the {@code queue_name} of its rows} */
    public String name() {
        return queueName;
    }

    /** {@return how long a taken job stays leased} */
    public Duration leaseTime() {
        return leaseTime;
    }

    /**
     * @throws JobTooLargeException if the job's JSON is over {@link JdbcOptions#maxJobBytes()}
     */
    @Override
    public void put(Job job) {
        Objects.requireNonNull(job, "job");
        byte[] payload = encode(job);
        try {
            jdbi.useHandle(handle -> {
                insert(handle, job, payload);
                signal.bump();
                notifyTakers(handle);
            });
        } catch (RuntimeException e) {
            throw JdbcFailures.translate("put of job " + job.id() + " on queue '" + queueName + "'", e);
        }
    }

    private byte[] encode(Job job) {
        return JobSizes.check(job, codec.encode(job), options.maxJobBytes());
    }

    /**
     * The put of a job inside the caller's transaction (the publisher's atomic publish, {@link
     * JdbcJobSource}): the payload from {@link #payload(Job)}; call {@link #wakeTakers()} after the commit.
     *
     * @param version the version of the job's row that {@code job} was just written as, in this
     *     transaction and in this backend's jobs table: the row records it (schema version 6), so
     *     the claim starts the step ({@link #startOnTake})
     */
    void insertIn(Handle handle, Job job, byte[] payload, long version) {
        JobId id = Objects.requireNonNull(job.id(), "a published job has an id");
        handle.createUpdate(putVersionedSql)
                .bind("queue", queueName)
                .bind("job_id", id.value())
                .bind("payload", payload)
                .bind("start", JobRows.time(job.requestedStartTime()))
                .bind("priority", job.priority())
                .bind("id_is_number", id.isNumeric())
                .bind("version", version)
                .execute();
    }

    /**
     * @throws JobTooLargeException if the job's JSON is over {@link JdbcOptions#maxJobBytes()}
     */
    byte[] payload(Job job) {
        return encode(job);
    }

    /** Tells takers here and elsewhere that a job was put by {@link #insertIn}; never fails. */
    void wakeTakers() {
        signal.bump();
        try {
            jdbi.useHandle(this::notifyTakers);
        } catch (RuntimeException e) {
            LOG.debug("NOTIFY on queue '{}' failed; takers find the job by polling", queueName, e);
        }
    }

    private void insert(Handle handle, Job job, byte[] payload) {
        JobId id = job.id();
        handle.createUpdate(putSql)
                .bind("queue", queueName)
                .bind("job_id", id == null ? null : id.value())
                .bind("payload", payload)
                .bind("start", JobRows.time(job.requestedStartTime()))
                .bind("priority", job.priority())
                .execute();
    }

    /**
     * Wakes idle takers everywhere, after the write committed. Sent on its own: a transaction
     * that notifies holds PostgreSQL's notification lock through its commit, which would
     * serialize every writer's disk flush. If it is lost, takers still find the job within
     * their poll interval.
     */
    private void notifyTakers(Handle handle) {
        try {
            handle.createQuery(notifySql)
                    .bind("channel", backend.tables().channel())
                    .bind("queue", queueName)
                    .mapTo(String.class)
                    .one();
        } catch (RuntimeException e) {
            LOG.debug("NOTIFY on queue '{}' failed; takers find the job by polling", queueName, e);
        }
    }

    @Override
    public Optional<Delivery> take(Duration maxWait) throws InterruptedException {
        long deadline = Deadlines.takeDeadline(maxWait);
        waitingTakers.incrementAndGet();
        try {
            while (!closed) {
                JdbcDelivery handed = pollHandoff();
                if (handed != null) {
                    return Optional.of(handed);
                }
                long seen = signal.generation();
                Claim claim = claim(Math.min(options.claimBatchSize(), Math.max(1, expectedTakers())));
                if (!claim.deliveries().isEmpty()) {
                    List<JdbcDelivery> got = claim.deliveries();
                    if (got.size() > 1) {
                        handoff.addAll(got.subList(1, got.size()));
                        signal.bump();
                    }
                    return Optional.of(got.get(0));
                }
                if (claim.deadLettered() > 0) {
                    continue; // bad rows were moved away or set aside until their start time: look again at once
                }
                long left = Deadlines.remainingNanos(deadline);
                if (left <= 0) {
                    return Optional.empty();
                }
                long wait = Math.min(left, listener.isListening()
                        ? options.pollInterval().toNanos()
                        : Math.min(options.pollInterval().toNanos(), LISTENER_DOWN_POLL_NANOS));
                Double untilNextMs = millisUntilNextVisible();
                if (untilNextMs != null) {
                    long untilNext = (long) (untilNextMs * 1_000_000);
                    wait = Math.min(wait, Math.max(MIN_RECHECK_NANOS, untilNext + TimeUnit.MILLISECONDS.toNanos(1)));
                }
                signal.awaitChange(seen, wait);
            }
            return Optional.empty();
        } finally {
            waitingTakers.decrementAndGet();
        }
    }

    /**
     * @return the takers to claim for: those waiting now, plus the worker threads finishing a step
     *     of this queue right now, which will take again in a moment (their finishes commit
     *     together, so they come together)
     */
    private int expectedTakers() {
        return waitingTakers.get() + finishing.get();
    }

    /** A delivery another taker claimed for us, unless it sat so long its lease is half gone. */
    private @Nullable JdbcDelivery pollHandoff() {
        JdbcDelivery delivery;
        while ((delivery = handoff.poll()) != null) {
            if (System.nanoTime() - delivery.claimedNanos() < leaseTime.toNanos() / 2) {
                return delivery;
            }
            giveBack(delivery, "stale claimed");
        }
        return null;
    }

    /**
     * Gives back, visible at once, the messages this queue claimed ahead for takers that have not
     * come: none of them started a step, so their delivery counts go back down. Called by the
     * worker when it stops; the queue stays usable.
     */
    @Override
    public void releaseHeld() {
        JdbcDelivery delivery;
        while ((delivery = handoff.poll()) != null) {
            giveBack(delivery, "held");
        }
    }

    /**
     * Gives back a claimed message no taker got, without counting the claim as a delivery. When
     * the claim started its step ({@link #startOnTake}), the same statement undoes the start, so
     * the job reads QUEUED again while its message waits, not RUNNING; the next claim starts it.
     */
    private void giveBack(JdbcDelivery delivery, String what) {
        try {
            Unstart unstart = delivery.unstart();
            int rows = jdbi.withHandle(handle -> {
                int n = unstart == null
                        ? handle.createUpdate(unclaimSql)
                                .bind("id", delivery.messageId())
                                .bind("token", delivery.token())
                                .execute()
                        : giveBackStarted(handle, delivery, unstart);
                if (n > 0) {
                    signal.bump();
                    notifyTakers(handle);
                }
                return n;
            });
            delivery.finished(); // handed to nobody: nothing else ends it
            LOG.debug("Gave back {} message {} on queue '{}' ({} row)", what, delivery.messageId(), queueName, rows);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Could not give back {} message {} on queue '{}'; it returns when its lease ends", what,
                    delivery.messageId(), queueName, e);
        }
    }

    /**
     * The give-back of a message whose claim started its step: the unclaim and the undo of the
     * start in one statement (one transaction). The job's row goes back to exactly what the claim
     * found (QUEUED, its step name, extra fields, update time and version) and the start's history
     * row is deleted, only while the lease still holds and the row is still the start's version:
     * any write since (a finish, a cancel request) is newer and stays.
     *
     * @return 1 when the message was given back, 0 when the lease was lost meanwhile
     */
    private int giveBackStarted(Handle handle, JdbcDelivery delivery, Unstart unstart) throws SQLException {
        try (PreparedStatement statement = handle.getConnection().prepareStatement(unstart.starter().unstartSql)) {
            int p = 1;
            statement.setLong(p++, delivery.messageId());
            statement.setObject(p++, delivery.token());
            statement.setString(p++, unstart.wasStep());
            statement.setString(p++, unstart.wasExtra());
            statement.setObject(p++, unstart.wasUpdatedAt());
            statement.setString(p++, unstart.jobId());
            statement.setBoolean(p++, unstart.idIsNumber());
            statement.setLong(p++, unstart.startedVersion());
            statement.setString(p, unstart.startedStep());
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                LOG.debug("Give-back of message {} on queue '{}' undid the start of job {}: {}", delivery.messageId(),
                        queueName, unstart.jobId(), rs.getLong(2) > 0);
                return (int) rs.getLong(1);
            }
        }
    }

    /** Makes a claimed row visible again {@code delay} from now, by the database's clock, uncounted. */
    private void setAside(long messageId, UUID token, Duration delay) {
        try {
            jdbi.useHandle(handle -> handle.createUpdate(setAsideSql)
                    .bind("id", messageId)
                    .bind("token", token)
                    .bind("delay_ms", delay.toMillis() + 1)
                    .execute());
        } catch (RuntimeException e) {
            LOG.warn("PostgreSQL queue '{}': could not set message {} aside until its start time; it returns when "
                    + "its lease ends", queueName, messageId, e);
        }
    }

    /**
     * Claims up to {@code n} messages ahead, as a claim for several takers does, and holds them
     * for the next takers (for tests).
     *
     * @return how many are held now
     */
    int claimAhead(int n) {
        handoff.addAll(claim(n).deliveries());
        return handoff.size();
    }

    private record Claim(List<JdbcDelivery> deliveries, int deadLettered) {
    }

    private record Claimed(long id, @Nullable String jobId, byte[] payload, int deliveryCount, int priority,
            Instant wasVisibleAt, Instant leaseUntil, @Nullable String startedStep, int startedIndex,
            @Nullable Unstart unstart) {
    }

    /**
     * How to undo the start a claim recorded, for a delivery given back unrun ({@link #giveBack}):
     * the job's row as the claim found it (its step name, extra fields as JSONB text, and update
     * time, to the microsecond) and the version the start wrote, which only that start can have written.
     */
    record Unstart(Starter starter, String jobId, boolean idIsNumber, long startedVersion, String startedStep,
            @Nullable String wasStep, @Nullable String wasExtra, OffsetDateTime wasUpdatedAt) {
    }

    private Claim claim(int max) {
        UUID token = UUID.randomUUID();
        List<Claimed> rows = new ArrayList<>(max);
        int tooBig = 0;
        Starter starting = starter;
        try (Connection connection = backend.connections().getConnection();
                PreparedStatement statement = connection.prepareStatement(starting == null ? claimSql : starting.sql)) {
            statement.setLong(1, options.maxJobBytes());
            statement.setString(2, queueName);
            statement.setInt(3, max);
            statement.setLong(4, options.maxJobBytes());
            statement.setLong(5, leaseTime.toMillis());
            statement.setObject(6, token);
            statement.setString(7, options.ownerName());
            if (starting != null) {
                statement.setString(8, starting.planJson());
                statement.setTimestamp(9, JobArrays.timestamp(options.clock().instant()));
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    long bytes = rs.getLong("bytes");
                    if (!rs.wasNull()) {
                        LOG.warn("PostgreSQL queue '{}': message {} (job {}) is {} bytes, over maxJobBytes {}; moved "
                                + "to the dead letters without being read", queueName, rs.getLong("id"),
                                rs.getString("job_id"), bytes, options.maxJobBytes());
                        tooBig++;
                        continue;
                    }
                    String startedStep = starting == null ? null : rs.getString("started_step");
                    Unstart unstart = startedStep == null || starting == null ? null : new Unstart(starting,
                            Objects.requireNonNull(rs.getString("job_id"), "a started message names its job"),
                            rs.getBoolean("started_id_is_number"), rs.getLong("started_version"), startedStep,
                            rs.getString("was_step"), rs.getString("was_extra"),
                            Objects.requireNonNull(rs.getObject("was_updated_at", OffsetDateTime.class),
                                    "updated_at is not null"));
                    rows.add(new Claimed(rs.getLong("id"), rs.getString("job_id"), rs.getBytes("payload"),
                            rs.getInt("delivery_count"), rs.getInt("priority"),
                            Objects.requireNonNull(JobRows.instant(rs, "was_visible_at"), "visible_at is not null"),
                            Objects.requireNonNull(JobRows.instant(rs, "lease_until"), "visible_at is not null"),
                            startedStep, startedStep == null ? -1 : rs.getInt("started_index"), unstart));
                }
            }
        } catch (SQLException | RuntimeException e) {
            throw JdbcFailures.translate("take from queue '" + queueName + "'", e);
        }
        if (tooBig > 0) {
            trimDeadLetters();
        }
        if (rows.isEmpty()) {
            return new Claim(List.of(), tooBig);
        }
        List<Claimed> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingInt(Claimed::priority).reversed().thenComparing(Claimed::wasVisibleAt)
                .thenComparingLong(Claimed::id));
        List<JdbcDelivery> deliveries = new ArrayList<>(sorted.size());
        int dead = tooBig;
        for (Claimed row : sorted) {
            Job job = UndecodableMessages.decodeOrDeadLetter(codec, row.payload(), reason -> {
                LOG.warn("PostgreSQL queue '{}': message {} is {}; moved to the dead letters: {}", queueName,
                        row.id(), reason, UndecodableMessages.preview(row.payload()));
                deadLetter(row.id(), token, reason);
            });
            if (job == null) {
                dead++;
                continue;
            }
            Instant start = job.requestedStartTime();
            Instant databaseNow = row.leaseUntil().minus(leaseTime);
            if (start != null && start.isAfter(databaseNow)) {
                // a raw-pushed row (put sets visible_at from the start time) that is not due yet:
                // back to the queue until its time, not counted as a delivery
                setAside(row.id(), token, Duration.between(databaseNow, start));
                dead++;
                continue;
            }
            String startedStep = row.startedStep();
            // what the claim wrote: the stored row, which is this message's state, started
            Job started = startedStep == null ? null : job.toBuilder().status(JobStatus.RUNNING).stepName(startedStep)
                    .extraField(RuntimeFields.CURRENT_STEP, IntNode.valueOf(row.startedIndex())).build();
            deliveries.add(new JdbcDelivery(this, row.id(), token, job, row.deliveryCount(), row.leaseUntil(), started,
                    row.unstart()));
        }
        return new Claim(deliveries, dead);
    }

    /** {@return milliseconds until the queue's next row becomes visible, by the database's clock; null: no row} */
    private @Nullable Double millisUntilNextVisible() {
        try {
            return jdbi.withHandle(handle -> handle.createQuery(nextVisibleSql)
                    .bind("queue", queueName)
                    .map((rs, ctx) -> {
                        double ms = rs.getDouble("ms");
                        return rs.wasNull() ? null : ms;
                    })
                    .one());
        } catch (RuntimeException e) {
            throw JdbcFailures.translate("look-up of the next ready time on queue '" + queueName + "'", e);
        }
    }

    // ---------------------------------------------------------------- delivery endings

    boolean ack(JdbcDelivery delivery) {
        int rows;
        try {
            rows = jdbi.withHandle(handle -> handle.createUpdate(ackSql)
                    .bind("id", delivery.messageId())
                    .bind("token", delivery.token())
                    .execute());
        } catch (RuntimeException e) {
            throw JdbcFailures.translate("ack of job " + delivery.job().id() + " on queue '" + queueName + "'", e);
        }
        if (rows == 0) {
            LOG.warn("Ack of job {} (message {}) on queue '{}' found no lease: it ran out and another worker "
                    + "took the job, which will run this step again", delivery.job().id(), delivery.messageId(),
                    queueName);
        }
        return rows > 0;
    }

    boolean release(JdbcDelivery delivery, Duration delay) {
        try {
            return jdbi.withHandle(handle -> {
                int rows = handle.createUpdate(releaseSql)
                        .bind("delay_ms", delay.toMillis())
                        .bind("id", delivery.messageId())
                        .bind("token", delivery.token())
                        .execute();
                if (rows > 0) {
                    signal.bump();
                    notifyTakers(handle);
                }
                return rows > 0;
            });
        } catch (RuntimeException e) {
            throw JdbcFailures.translate("release of job " + delivery.job().id() + " on queue '" + queueName + "'", e);
        }
    }

    @Nullable Instant extend(JdbcDelivery delivery, Duration duration) {
        try {
            return jdbi.withHandle(handle -> handle.createQuery(extendSql)
                    .bind("ms", Math.max(1, duration.toMillis()))
                    .bind("id", delivery.messageId())
                    .bind("token", delivery.token())
                    .map((rs, ctx) -> Objects.requireNonNull(JobRows.instant(rs, "visible_at"), "visible_at is not null"))
                    .findOne()
                    .orElse(null));
        } catch (RuntimeException e) {
            throw JdbcFailures.translate("lease extension of job " + delivery.job().id() + " on queue '" + queueName + "'", e);
        }
    }

    boolean deadLetter(JdbcDelivery delivery, String reason) {
        return deadLetter(delivery.messageId(), delivery.token(), reason);
    }

    /** Moves a leased row to the dead letters; false when the lease was lost meanwhile. */
    private boolean deadLetter(long messageId, UUID token, String reason) {
        try {
            boolean moved = jdbi.withHandle(handle -> handle.createUpdate(deadLetterSql)
                    .bind("id", messageId)
                    .bind("token", token)
                    // a reason quoting a job's text may hold U+0000, which a text column refuses
                    .bind("reason", reason.replace('\0', '\uFFFD'))
                    .execute()) > 0;
            if (moved) {
                trimDeadLetters();
            }
            return moved;
        } catch (RuntimeException e) {
            throw JdbcFailures.translate("dead-lettering of message " + messageId + " on queue '" + queueName + "'", e);
        }
    }

    /**
     * Keeps the dead letters of this queue bounded ({@link JdbcOptions#maxDeadLetters()}): deletes
     * the oldest over the limit. A failure is only logged: the next dead letter trims again.
     */
    private void trimDeadLetters() {
        int keep = options.maxDeadLetters();
        if (keep == 0) {
            return;
        }
        try {
            int deleted = jdbi.withHandle(handle -> handle.createUpdate(trimDeadSql)
                    .bind("queue", queueName)
                    .bind("keep", keep)
                    .execute());
            if (deleted > 0) {
                LOG.warn("PostgreSQL queue '{}': deleted the {} oldest dead letters to keep {} (JdbcOptions.maxDeadLetters)",
                        queueName, deleted, keep);
            }
        } catch (RuntimeException e) {
            LOG.warn("PostgreSQL queue '{}': could not trim the dead letters to {}; the next dead letter tries again",
                    queueName, keep, e);
        }
    }

    // ---------------------------------------------------------------- start on take

    /**
     * Starts steps in the claim from now on (see {@link #claimSql}) when {@code store} is a {@link
     * JdbcJobStore} on this queue's DataSource and tables: a step then costs no {@link
     * JdbcJobStore#startStep} round trip. Messages whose stored job the claim can't vouch for
     * (put by a plain {@link #put}, delivered before, changed in the store since, of a workflow
     * the plan lacks) come without a started state, and the worker starts them as before.
     *
     * <p>A claimed job held for a taker that does not come (the worker stops, {@link #releaseHeld},
     * or it waited half its lease) is given back with the start undone: its stored row is again
     * the QUEUED state the claim found, and the next claim starts it.
     */
    @Override
    public boolean startOnTake(JobStore store, StepPlan plan) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(plan, "plan");
        if (!(store instanceof JdbcJobStore jdbcStore) || jdbcStore.backend().dataSource() != backend.dataSource()
                || !jdbcStore.backend().tables().jobs().equals(backend.tables().jobs())) {
            return false;
        }
        Tables storeTables = jdbcStore.backend().tables();
        boolean history = jdbcStore.backend().options().recordHistory();
        starter = new Starter(plan, claimSql(backend.tables(), storeTables, history),
                unstartSql(backend.tables(), storeTables, history));
        return true;
    }

    /**
     * The give-back of a started message ({@link #giveBackStarted}). Positional parameters:
     * message id, token, then the row as the claim found it (step name, extra fields as text,
     * update time), the job's id and id kind, the version and step name the start wrote.
     */
    private static String unstartSql(Tables t, Tables jobs, boolean recordHistory) {
        StringBuilder sql = new StringBuilder(t.render("with q as (update {queue} set visible_at = now(), "
                + "lease_token = null, lease_owner = null, delivery_count = greatest(delivery_count - 1, 0) "
                + "where id = ? and lease_token = ? returning id), "))
                .append("w as (select cast(? as text) as step_name, cast(? as jsonb) as extra_fields, "
                        + "cast(? as timestamptz) as updated_at, cast(? as text) as id, cast(? as boolean) as id_is_number, "
                        + "cast(? as bigint) as version, cast(? as text) as started_step), ")
                // the version the start wrote: every write adds one, so no other write has it
                .append(jobs.render("j as (update {jobs} as j set status = 'QUEUED', step_name = w.step_name, "
                        + "extra_fields = w.extra_fields, updated_at = w.updated_at, version = j.version - 1 from w "
                        + "where j.id = w.id and j.id_is_number = w.id_is_number and j.version = w.version "
                        + "and j.status = 'RUNNING' and j.step_name = w.started_step and exists (select 1 from q) "
                        + "returning j.id, j.id_is_number, w.version)"));
        if (recordHistory) {
            sql.append(jobs.render(", h as (delete from {history} h using j where h.job_id = j.id "
                    + "and h.job_id_is_number = j.id_is_number and h.version = j.version and h.status = 'RUNNING')"));
        }
        return sql.append(" select (select count(*) from q), (select count(*) from j)").toString();
    }

    /**
     * The claim that starts steps, the give-back that undoes such a start, and the plan the claim
     * binds (as JSON, encoded again only when the plan changes).
     */
    static final class Starter {
        final StepPlan plan;
        final String sql;
        final String unstartSql;
        private volatile PlanJson encoded = new PlanJson(Map.of(), "{}");

        Starter(StepPlan plan, String sql, String unstartSql) {
            this.plan = plan;
            this.sql = sql;
            this.unstartSql = unstartSql;
        }

        String planJson() {
            Map<String, List<String>> steps = plan.stepsByWorkflow();
            PlanJson seen = encoded;
            if (seen.steps() != steps) {
                com.fasterxml.jackson.databind.node.ObjectNode json =
                        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
                steps.forEach((workflow, names) -> {
                    com.fasterxml.jackson.databind.node.ArrayNode array = json.putArray(workflow);
                    names.forEach(array::add);
                });
                seen = new PlanJson(steps, json.toString());
                encoded = seen;
            }
            return seen.json();
        }
    }

    private record PlanJson(Map<String, List<String>> steps, String json) {
    }

    // ---------------------------------------------------------------- atomic step finish

    /**
     * Offers the atomic finish when {@code store} is a {@link JdbcJobStore} on the same {@code
     * DataSource} as this queue: the state update (with its history row), the next step's put and
     * the ack happen in one statement, so one transaction. If the delivery's lease was lost
     * (another worker took the job after it ran out), nothing is written and the finisher throws
     * a non-transient {@link ErgateBackendException}: the other worker's run of the step counts.
     *
     * <p>Finishes that worker threads of this queue make at the same time share one statement and
     * one commit (group commit, see {@link Batcher}): each call returns only once the
     * transaction holding its own finish has committed durably, and a finish whose lease was lost
     * is refused alone, without failing the others.
     */
    @Override
    public Optional<AtomicStepFinish> atomicStepFinish(StateStore store) {
        if (store instanceof JdbcJobStore jdbcStore
                && jdbcStore.backend().dataSource() == backend.dataSource()) {
            return Optional.of((delivery, state, next) -> finish(jdbcStore, delivery, state, next));
        }
        return Optional.empty();
    }

    /**
     * Submits atomically with a {@link JdbcJobStore} on the same DataSource: each job's first
     * state and its queue row in one transaction, one commit for a single submit or a whole batch.
     *
     * @return the submitter, or empty when {@code store} is not such a store
     */
    @Override
    public Optional<AtomicSubmit> atomicSubmit(StateStore store) {
        if (store instanceof JdbcJobStore jdbcStore && jdbcStore.backend().dataSource() == backend.dataSource()) {
            return Optional.of(jobs -> submit(jdbcStore, jobs));
        }
        return Optional.empty();
    }

    private void submit(JdbcJobStore store, List<Job> jobs) {
        List<byte[]> payloads = new ArrayList<>(jobs.size());
        for (Job job : jobs) {
            Objects.requireNonNull(job, "job");
            if (job.id() == null) {
                throw new IllegalArgumentException("job of workflow '" + job.workflowName() + "' has no id");
            }
            payloads.add(encode(job)); // every size checked before anything is written
        }
        String what = jobs.size() == 1 ? "submit of job " + jobs.get(0).id() : "submit of " + jobs.size() + " jobs";
        Job refused;
        if (SubmitStatement.distinct(jobs)) {
            refused = submitInOneStatement(store, jobs, payloads, what);
        } else {
            refused = submitOneByOne(store, jobs, payloads, what);
        }
        if (refused != null) {
            throw store.stale(refused);
        }
        signal.bump();
        try {
            backend.notifier().request(queueName); // from the notifier's thread: the caller does not wait for it
        } catch (IllegalStateException closedBackend) {
            LOG.debug("Backend closed; no NOTIFY for queue '{}'", queueName);
        }
    }

    /**
     * The submit as one statement ({@link SubmitStatement}): for one job in auto-commit (a refused
     * state writes nothing at all), for several in a transaction that is rolled back when the
     * fence refused any of them.
     *
     * @return the job the fence refused (nothing was written then), or null
     */
    private @Nullable Job submitInOneStatement(JdbcJobStore store, List<Job> jobs, List<byte[]> payloads, String what) {
        SubmitStatement statement = submitStatements.computeIfAbsent(store, s -> new SubmitStatement(s, backend.tables()));
        Instant now = options.clock().instant();
        try (Connection connection = backend.connections().getConnection()) {
            if (jobs.size() == 1) {
                return statement.run(connection, queueName, now, jobs, payloads).isEmpty() ? jobs.get(0) : null;
            }
            connection.setAutoCommit(false);
            try {
                Set<String> written = statement.run(connection, queueName, now, jobs, payloads);
                for (Job job : jobs) {
                    if (!written.contains(SubmitStatement.key(Objects.requireNonNull(job.id())))) {
                        connection.rollback(); // the fence refused it: nothing of the submit stays
                        return job;
                    }
                }
                connection.commit();
                return null;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException | RuntimeException e) {
            throw JdbcFailures.translate(what + " on queue '" + queueName + "'", e);
        }
    }

    /** The submit of jobs that share ids, one upsert and put after the other in one transaction. */
    private @Nullable Job submitOneByOne(JdbcJobStore store, List<Job> jobs, List<byte[]> payloads, String what) {
        try {
            return jdbi.inTransaction(handle -> {
                for (int i = 0; i < jobs.size(); i++) {
                    if (store.upsert(handle, jobs.get(i)) == 0) {
                        handle.rollback(); // the fence refused it: nothing of the submit stays
                        return jobs.get(i);
                    }
                    insert(handle, jobs.get(i), payloads.get(i));
                }
                return null;
            });
        } catch (RuntimeException e) {
            throw JdbcFailures.translate(what + " on queue '" + queueName + "'", e);
        }
    }

    private void finish(JdbcJobStore store, Delivery delivery, Job state, @Nullable Job next) {
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(state, "state");
        if (!(delivery instanceof JdbcDelivery jdbcDelivery)
                || jdbcDelivery.queue().backend.dataSource() != backend.dataSource()) {
            throw new IllegalArgumentException("atomic finish needs a delivery taken from a JdbcJobQueue on the "
                    + "same DataSource, got " + delivery);
        }
        if (state.id() == null) {
            throw new IllegalArgumentException("job of workflow '" + state.workflowName() + "' has no id");
        }
        byte[] payload = next == null ? null : encode(next);
        JdbcBackend source = jdbcDelivery.queue().backend;
        Batcher<StepFinish> combiner = combiners.computeIfAbsent(new FinishTarget(store, source), this::newCombiner);
        finishing.incrementAndGet();
        try {
            combiner.submit(new StepFinish(jdbcDelivery, state, next, payload));
        } finally {
            finishing.decrementAndGet();
        }
    }

    /** {@return how many step finishes wait for the batch in front of them to commit (for tests)} */
    int finishesWaiting() {
        return combiners.values().stream().mapToInt(Batcher::waiting).sum();
    }

    /** The store the states go to and the backend whose queue table the deliveries come from. */
    private record FinishTarget(JdbcJobStore store, JdbcBackend source) {
    }

    private Batcher<StepFinish> newCombiner(FinishTarget target) {
        FinishStatement statement = new FinishStatement(target.store(), target.source().tables(), backend.tables());
        // one finish per job and statement: the statement updates each job's row once
        return new Batcher<>(MAX_FINISH_BATCH, StepFinish::jobId, finishes -> runFinishes(statement, finishes),
                this::wakeTakersOfNextSteps);
    }

    /**
     * Runs finishes in one statement, bounded by {@link JdbcOptions#finishTimeout()} (lock waits
     * included). When it fails for any reason (a row another transaction holds locked, a deadlock,
     * bad data in one job, a lost connection), each finish is run again on its own, so only the
     * one at fault fails.
     *
     * @return each finish's failure, in order, or null for one that committed
     */
    private List<@Nullable RuntimeException> runFinishes(FinishStatement statement, List<StepFinish> finishes) {
        List<@Nullable RuntimeException> outcomes = new ArrayList<>(finishes.size());
        Map<Long, Boolean> acked;
        try (Connection connection = backend.connections().getConnection()) {
            acked = statement.run(connection, queueName, options.clock().instant(), finishes, options.finishTimeout());
        } catch (SQLException | RuntimeException e) {
            // any failure, transient or not (one job's locked row hit the time limit, a deadlock,
            // bad data): each finish runs again on its own, so the others are neither failed
            // (their steps would run again) nor held up by the one at fault
            if (finishes.size() > 1) {
                LOG.debug("A batch of {} finishes failed ({}); running them one by one", finishes.size(), e.toString());
                for (StepFinish finish : finishes) {
                    outcomes.add(runFinishes(statement, List.of(finish)).get(0));
                }
                return outcomes;
            }
            for (StepFinish finish : finishes) {
                outcomes.add(JdbcFailures.translate("atomic finish of job " + finish.jobId() + " on queue '" + queueName + "'", e));
            }
            return outcomes;
        }
        for (StepFinish finish : finishes) {
            Boolean written = acked.get(finish.delivery().messageId());
            if (written == null) {
                outcomes.add(finish.leaseLost());
            } else if (written) {
                finish.succeeded();
                outcomes.add(null);
            } else {
                finish.succeeded(); // the stale delivery was acked with the refusal: it is dropped
                outcomes.add(new StaleStateException("PostgreSQL: refused the finish of job " + finish.jobId()
                        + " at " + finish.state().status() + " (steps completed " + finish.state().stepsCompleted()
                        + "): the stored job is newer or final (a duplicate message or a lost lease); nothing "
                        + "written, no next step put, the delivery dropped", null));
            }
        }
        return outcomes;
    }

    /**
     * One wake-up for the batch: local takers at once, other processes' through one {@code
     * NOTIFY} that the backend's notifier sends from its own thread, so this worker goes on to
     * its next take without waiting for it.
     */
    private void wakeTakersOfNextSteps(List<StepFinish> finishes) {
        for (StepFinish finish : finishes) {
            if (finish.next() != null && finish.delivery().isEnded()) {
                signal.bump();
                try {
                    backend.notifier().request(queueName);
                } catch (IllegalStateException closedBackend) {
                    LOG.debug("Backend closed; no NOTIFY for queue '{}'", queueName);
                }
                return;
            }
        }
    }

    // ---------------------------------------------------------------- inspection and lifecycle

    /**
     * @param limit the most dead letters to return
     * @return this queue's dead letters, oldest first
     * @throws ErgateBackendException if PostgreSQL fails
     */
    public List<DeadLetter> deadLetters(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        try {
            return jdbi.withHandle(handle -> handle.createQuery(deadLettersSql)
                    .bind("queue", queueName)
                    .bind("limit", limit)
                    .map((rs, ctx) -> new DeadLetter(Long.toString(rs.getLong("id")), rs.getString("queue_name"),
                            new String(rs.getBytes("payload"), StandardCharsets.UTF_8), rs.getString("reason"),
                            Objects.requireNonNull(JobRows.instant(rs, "dead_at")), rs.getInt("delivery_count"),
                            rs.getString("job_id")))
                    .list());
        } catch (RuntimeException e) {
            throw JdbcFailures.translate("listing of dead letters of queue '" + queueName + "'", e);
        }
    }

    /**
     * Counts the queue's rows by where they are, exactly, in one statement: ready (visible now,
     * not leased), delayed (visible later), in flight (leased, until acked, released or claimed
     * again after the lease ran out), and the queue's rows in the dead-letter table.
     *
     * @throws ErgateBackendException if PostgreSQL fails
     */
    @Override
    public QueueCounts counts() {
        try {
            return jdbi.withHandle(handle -> handle.createQuery(countsSql)
                    .bind("queue", queueName)
                    .map((rs, ctx) -> new QueueCounts(rs.getLong("ready"), rs.getLong("delayed"),
                            rs.getLong("in_flight"), rs.getLong("dead"), false))
                    .one());
        } catch (RuntimeException e) {
            throw JdbcFailures.translate("count of queue '" + queueName + "'", e);
        }
    }

    /**
     * Takes no connection while idle, so any number of takers works; the pool needs one
     * connection for the listener and should have one per taker for best throughput.
     *
     * @throws IllegalStateException if the backend's own pool is smaller than 2
     */
    @Override
    public void checkCapacity(int concurrentTakers) {
        backend.checkCapacity(concurrentTakers);
    }

    /**
     * Stops taking: waiting takers return empty, claimed messages not yet handed out are given
     * back. The backend (its pool and listener) stays open. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        signal.bump();
        releaseHeld();
    }

    @Override
    public String toString() {
        return "JdbcJobQueue[" + backend.tables() + ", queue=" + queueName + "]";
    }
}
