package dev.ergate.jdbc;

import dev.ergate.spi.ScheduleStore;
import dev.ergate.spi.StoredSchedule;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@link ScheduleStore} on PostgreSQL (schema version 4): a row per schedule, and a row per
 * tick being submitted whose primary key is the schedule and the tick. A claim is one transaction
 * holding the schedule row's lock, so claimers of one schedule take turns and each tick has one
 * winner. From {@link JdbcBackend#schedules()}. Thread-safe.
 */
public final class JdbcScheduleStore implements ScheduleStore {

    private final Jdbi jdbi;
    private final Clock clock;
    private final String schedules;
    private final String claims;
    private final String description;

    JdbcScheduleStore(JdbcBackend backend) {
        this.jdbi = backend.jdbi();
        this.clock = backend.options().clock();
        this.schedules = backend.tables().table("schedules");
        this.claims = backend.tables().table("schedule_claims");
        this.description = "JdbcScheduleStore[" + backend.tables() + "]";
    }

    @Override
    public void save(StoredSchedule schedule) {
        Objects.requireNonNull(schedule, "schedule");
        String sql = "insert into " + schedules + " as s (id, definition, paused, cursor_at, updated_at)"
                + " values (:id, :definition, :paused, :cursor, :now) on conflict (id) do update set"
                + " definition = excluded.definition, paused = excluded.paused,"
                + " cursor_at = greatest(s.cursor_at, excluded.cursor_at), updated_at = excluded.updated_at";
        call("saving schedule " + schedule.id(), () -> jdbi.withHandle(h -> h.createUpdate(sql)
                .bind("id", schedule.id())
                .bind("definition", schedule.definition())
                .bind("paused", schedule.paused())
                .bind("cursor", JobRows.time(schedule.cursor()))
                .bind("now", JobRows.time(clock.instant()))
                .execute()));
    }

    @Override
    public Optional<StoredSchedule> find(String id) {
        String sql = "select id, definition, paused, cursor_at from " + schedules + " where id = :id";
        return call("finding schedule " + id, () -> jdbi.withHandle(h -> h.createQuery(sql).bind("id", id)
                .map((rs, ctx) -> row(rs)).findOne()));
    }

    @Override
    public List<StoredSchedule> list() {
        String sql = "select id, definition, paused, cursor_at from " + schedules + " order by id collate \"C\"";
        return call("listing schedules", () -> jdbi.withHandle(h -> h.createQuery(sql)
                .map((rs, ctx) -> row(rs)).list()));
    }

    private static StoredSchedule row(ResultSet rs) throws SQLException {
        return new StoredSchedule(rs.getString("id"), rs.getString("definition"), rs.getBoolean("paused"),
                Objects.requireNonNull(JobRows.instant(rs, "cursor_at"), "cursor_at is not null"));
    }

    @Override
    public boolean delete(String id) {
        // the claims go with it (on delete cascade)
        String sql = "delete from " + schedules + " where id = :id";
        return call("deleting schedule " + id, () -> jdbi.withHandle(h -> h.createUpdate(sql).bind("id", id)
                .execute())) > 0;
    }

    @Override
    public boolean setPaused(String id, boolean paused, Instant now) {
        String sql = "update " + schedules + " set paused = :paused, updated_at = :now,"
                + " cursor_at = case when :paused then cursor_at else greatest(cursor_at, :now) end where id = :id";
        return call((paused ? "pausing" : "resuming") + " schedule " + id, () -> jdbi.withHandle(h ->
                h.createUpdate(sql).bind("id", id).bind("paused", paused).bind("now", JobRows.time(now))
                        .execute())) > 0;
    }

    @Override
    public boolean claimTick(String id, Instant tick, String owner, Instant leaseUntil, Instant now) {
        return call("claiming tick " + tick + " of schedule " + id, () -> jdbi.inTransaction(h -> {
            // the schedule row's lock makes claimers of this schedule take turns
            Optional<StoredSchedule> schedule = h.createQuery("select id, definition, paused, cursor_at from "
                            + schedules + " where id = :id for update")
                    .bind("id", id).map((rs, ctx) -> row(rs)).findOne();
            if (schedule.isEmpty() || schedule.get().paused()) {
                return false;
            }
            int takenOver = h.createUpdate("update " + claims + " set owner = :owner, lease_until = :until"
                            + " where schedule_id = :id and tick = :tick and lease_until < :now")
                    .bind("id", id).bind("tick", JobRows.time(tick)).bind("owner", owner)
                    .bind("until", JobRows.time(leaseUntil)).bind("now", JobRows.time(now))
                    .execute();
            if (takenOver > 0) {
                return true;
            }
            if (!tick.isAfter(schedule.get().cursor())) {
                return false;   // handled already, or claimed under a live lease (claims are never after the cursor)
            }
            insertClaim(h, id, tick, owner, leaseUntil);
            h.createUpdate("update " + schedules + " set cursor_at = :tick where id = :id")
                    .bind("id", id).bind("tick", JobRows.time(tick)).execute();
            return true;
        }));
    }

    private void insertClaim(Handle h, String id, Instant tick, String owner, Instant leaseUntil) {
        h.createUpdate("insert into " + claims + " (schedule_id, tick, owner, lease_until)"
                        + " values (:id, :tick, :owner, :until)")
                .bind("id", id).bind("tick", JobRows.time(tick)).bind("owner", owner)
                .bind("until", JobRows.time(leaseUntil)).execute();
    }

    @Override
    public void finishTick(String id, Instant tick) {
        String sql = "delete from " + claims + " where schedule_id = :id and tick = :tick";
        call("finishing tick " + tick + " of schedule " + id, () -> jdbi.withHandle(h -> h.createUpdate(sql)
                .bind("id", id).bind("tick", JobRows.time(tick)).execute()));
    }

    @Override
    public void advanceCursor(String id, Instant to) {
        String sql = "update " + schedules + " set cursor_at = :to where id = :id and cursor_at < :to";
        call("advancing schedule " + id, () -> jdbi.withHandle(h -> h.createUpdate(sql)
                .bind("id", id).bind("to", JobRows.time(to)).execute()));
    }

    @Override
    public List<Instant> abandonedTicks(String id, Instant now) {
        String sql = "select tick from " + claims + " where schedule_id = :id and lease_until < :now order by tick";
        return call("listing abandoned ticks of schedule " + id, () -> jdbi.withHandle(h -> h.createQuery(sql)
                .bind("id", id).bind("now", JobRows.time(now))
                .map((rs, ctx) -> Objects.requireNonNull(JobRows.instant(rs, "tick"), "tick is not null")).list()));
    }

    private static <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw JdbcFailures.translate(what, e);
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
