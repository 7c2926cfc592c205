package dev.ergate.redis;

import dev.ergate.spi.ScheduleStore;
import dev.ergate.spi.StoredSchedule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.UnifiedJedis;

/**
 * The {@link ScheduleStore} on Redis. Keys, all under the namespace's hash tag (one Cluster slot),
 * every one a script touches passed in KEYS:
 *
 * <pre>
 * {ns}:schedules              zset   schedule ids (score 0, so ordered by id)
 * {ns}:schedule:ID            hash   definition, paused (0/1), cursor (ms)
 * {ns}:schedule-claims:ID     hash   tick (ms) -> "leaseUntil(ms) owner", while being submitted
 * </pre>
 *
 * A claim is one script. From {@link RedisBackend#schedules()}. Thread-safe.
 */
public final class RedisScheduleStore implements ScheduleStore {

    private static final LuaScript SAVE = LuaScript.load("schedule_save");
    private static final LuaScript DELETE = LuaScript.load("schedule_delete");
    private static final LuaScript PAUSE = LuaScript.load("schedule_pause");
    private static final LuaScript CLAIM = LuaScript.load("schedule_claim");
    private static final LuaScript ADVANCE = LuaScript.load("schedule_advance");

    private final UnifiedJedis redis;
    private final RedisFailures failures;
    private final String tag;
    private final String index;

    RedisScheduleStore(RedisBackend backend) {
        this.redis = backend.client();
        this.failures = backend.failures();
        this.tag = "{" + backend.options().namespace() + "}";
        this.index = tag + ":schedules";
    }

    private String schedule(String id) {
        return tag + ":schedule:" + id;
    }

    private String claims(String id) {
        return tag + ":schedule-claims:" + id;
    }

    @Override
    public void save(StoredSchedule schedule) {
        Objects.requireNonNull(schedule, "schedule");
        failures.call("save schedule ", schedule.id(), () -> SAVE.run(redis, List.of(index, schedule(schedule.id())),
                List.of(schedule.id(), schedule.definition(), schedule.paused() ? "1" : "0",
                        schedule.cursor().toEpochMilli())));
    }

    @Override
    public Optional<StoredSchedule> find(String id) {
        List<String> fields = failures.call("find schedule ", id, () ->
                redis.hmget(schedule(id), "definition", "paused", "cursor"));
        return Optional.ofNullable(row(id, fields));
    }

    private static @Nullable StoredSchedule row(String id, List<String> fields) {
        String definition = fields.get(0);
        String cursor = fields.get(2);
        if (definition == null || cursor == null) {
            return null;
        }
        return new StoredSchedule(id, definition, "1".equals(fields.get(1)),
                Instant.ofEpochMilli(Long.parseLong(cursor)));
    }

    @Override
    public List<StoredSchedule> list() {
        List<String> ids = failures.call("list schedules", () -> redis.zrange(index, 0, -1));
        List<StoredSchedule> all = new ArrayList<>(ids.size());
        for (String id : ids) {
            find(id).ifPresent(all::add);   // one deleted meanwhile is left out
        }
        return all;
    }

    @Override
    public boolean delete(String id) {
        Object existed = failures.call("delete schedule ", id, () -> DELETE.run(redis,
                List.of(index, schedule(id), claims(id)), List.of(id)));
        return Long.valueOf(1).equals(existed);
    }

    @Override
    public boolean setPaused(String id, boolean paused, Instant now) {
        Object exists = failures.call(paused ? "pause schedule " : "resume schedule ", id, () -> PAUSE.run(redis,
                List.of(schedule(id)), List.of(paused ? "1" : "0", now.toEpochMilli())));
        return Long.valueOf(1).equals(exists);
    }

    @Override
    public boolean claimTick(String id, Instant tick, String owner, Instant leaseUntil, Instant now) {
        Object claimed = failures.call("claim a tick of schedule ", id, () -> CLAIM.run(redis,
                List.of(schedule(id), claims(id)),
                List.of(tick.toEpochMilli(), owner, leaseUntil.toEpochMilli(), now.toEpochMilli())));
        return Long.valueOf(1).equals(claimed);
    }

    @Override
    public void finishTick(String id, Instant tick) {
        failures.call("finish a tick of schedule ", id, () -> redis.hdel(claims(id), Long.toString(tick.toEpochMilli())));
    }

    @Override
    public void advanceCursor(String id, Instant to) {
        failures.call("advance schedule ", id, () -> ADVANCE.run(redis, List.of(schedule(id)),
                List.of(to.toEpochMilli())));
    }

    @Override
    public List<Instant> abandonedTicks(String id, Instant now) {
        Map<String, String> open = failures.call("list claims of schedule ", id, () -> redis.hgetAll(claims(id)));
        List<Instant> ticks = new ArrayList<>();
        open.forEach((tick, claim) -> {
            int space = claim.indexOf(' ');
            long lease = Long.parseLong(space < 0 ? claim : claim.substring(0, space));
            if (lease < now.toEpochMilli()) {
                ticks.add(Instant.ofEpochMilli(Long.parseLong(tick)));
            }
        });
        ticks.sort(null);
        return ticks;
    }

    @Override
    public String toString() {
        return "RedisScheduleStore[" + tag + "]";
    }
}
