package dev.ergate.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.spi.ScheduleStore;
import dev.ergate.spi.StoredSchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ScheduleStore} must pass: schedules round-trip, cursors only move
 * forward, and each tick is claimed by one caller only, also under races, unless its claim was
 * abandoned. An adapter's test extends it and supplies a fresh, empty store per test. Not
 * thread-safe: JUnit runs one test of an instance at a time.
 */
@DisplayName("ScheduleStore contract")
public abstract class ScheduleStoreContract {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final String DEFINITION = "{\"workflow\":\"report\",\"interval_ms\":1000}";

    private ScheduleStore store;

    /**
     * @return a fresh, empty store, isolated from other tests
     * @throws Exception if the backend can't be reached
     */
    protected abstract ScheduleStore newStore() throws Exception;

    /**
     * Releases what {@link #newStore()} made; nothing by default.
     *
     * @param store the store
     * @throws Exception if cleaning up fails
     */
    protected void closeStore(ScheduleStore store) throws Exception {
    }

    @BeforeEach
    void open() throws Exception {
        store = newStore();
    }

    @AfterEach
    void close() throws Exception {
        closeStore(store);
    }

    private static StoredSchedule schedule(String id, Instant cursor) {
        return new StoredSchedule(id, DEFINITION, false, cursor);
    }

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    @DisplayName("a saved schedule is found and listed as saved, the list ordered by id")
    void saveFindList() {
        store.save(schedule("b", at(0)));
        store.save(new StoredSchedule("a", "{\"workflow\":\"other\",\"cron\":\"0 2 * * *\"}", true, at(5)));

        assertThat(store.find("b")).contains(schedule("b", at(0)));
        assertThat(store.find("a")).get().satisfies(a -> {
            assertThat(a.definition()).contains("\"cron\":\"0 2 * * *\"");
            assertThat(a.paused()).isTrue();
            assertThat(a.cursor()).isEqualTo(at(5));
        });
        assertThat(store.find("missing")).isEmpty();
        assertThat(store.list()).extracting(StoredSchedule::id).containsExactly("a", "b");
    }

    @Test
    @DisplayName("a save replaces definition and paused flag but never moves the cursor back")
    void saveKeepsTheLaterCursor() {
        store.save(schedule("s", at(100)));
        store.save(new StoredSchedule("s", "{\"workflow\":\"new\"}", true, at(50)));
        assertThat(store.find("s")).get().satisfies(s -> {
            assertThat(s.definition()).isEqualTo("{\"workflow\":\"new\"}");
            assertThat(s.paused()).isTrue();
            assertThat(s.cursor()).isEqualTo(at(100));
        });
        store.save(schedule("s", at(200)));
        assertThat(store.find("s")).get().extracting(StoredSchedule::cursor).isEqualTo(at(200));
    }

    @Test
    @DisplayName("a tick after the cursor is claimed once: the cursor moves to it, a second claim is refused")
    void aTickIsClaimedOnce() {
        store.save(schedule("s", at(0)));
        assertThat(store.claimTick("s", at(10), "one", at(40), at(10))).isTrue();
        assertThat(store.claimTick("s", at(10), "two", at(40), at(11))).isFalse();
        assertThat(store.find("s")).get().extracting(StoredSchedule::cursor).isEqualTo(at(10));
        assertThat(store.claimTick("s", at(5), "two", at(40), at(11)))
                .as("a tick before the cursor").isFalse();
        assertThat(store.claimTick("s", at(0), "two", at(40), at(11)))
                .as("the cursor's own tick").isFalse();
        assertThat(store.claimTick("s", at(11), "two", at(41), at(11))).isTrue();
    }

    @Test
    @DisplayName("a finished tick is never claimed again, and is not abandoned")
    void aFinishedTickStaysDone() {
        store.save(schedule("s", at(0)));
        assertThat(store.claimTick("s", at(1), "one", at(31), at(1))).isTrue();
        store.finishTick("s", at(1));
        assertThat(store.abandonedTicks("s", at(1000))).isEmpty();
        assertThat(store.claimTick("s", at(1), "two", at(1031), at(1000))).isFalse();
    }

    @Test
    @DisplayName("a claim not finished within its lease is abandoned: one other caller takes it over")
    void anAbandonedClaimIsTakenOverOnce() {
        store.save(schedule("s", at(0)));
        assertThat(store.claimTick("s", at(1), "dead", at(31), at(1))).isTrue();
        assertThat(store.claimTick("s", at(2), "dead", at(32), at(2))).isTrue();
        assertThat(store.abandonedTicks("s", at(20))).as("leases still live").isEmpty();
        assertThat(store.claimTick("s", at(1), "early", at(50), at(20))).isFalse();

        assertThat(store.abandonedTicks("s", at(40))).containsExactly(at(1), at(2));
        assertThat(store.claimTick("s", at(1), "heir", at(70), at(40))).isTrue();
        assertThat(store.claimTick("s", at(1), "second heir", at(70), at(41))).isFalse();
        assertThat(store.abandonedTicks("s", at(41))).containsExactly(at(2));
        store.finishTick("s", at(1));
        assertThat(store.abandonedTicks("s", at(100))).containsExactly(at(2));
    }

    @Test
    @DisplayName("a paused schedule can't be claimed; a resume moves its cursor to now")
    void pauseAndResume() {
        store.save(schedule("s", at(0)));
        assertThat(store.setPaused("s", true, at(5))).isTrue();
        assertThat(store.find("s")).get().extracting(StoredSchedule::paused).isEqualTo(true);
        assertThat(store.claimTick("s", at(10), "one", at(40), at(10))).isFalse();

        assertThat(store.setPaused("s", false, at(100))).isTrue();
        assertThat(store.find("s")).get().satisfies(s -> {
            assertThat(s.paused()).isFalse();
            assertThat(s.cursor()).isEqualTo(at(100));
        });
        assertThat(store.claimTick("s", at(50), "one", at(130), at(100))).as("a tick while paused").isFalse();
        assertThat(store.claimTick("s", at(101), "one", at(131), at(101))).isTrue();
        assertThat(store.setPaused("missing", true, at(5))).isFalse();
    }

    @Test
    @DisplayName("advancing the cursor moves it forward only")
    void advanceCursorMovesForwardOnly() {
        store.save(schedule("s", at(10)));
        store.advanceCursor("s", at(5));
        assertThat(store.find("s")).get().extracting(StoredSchedule::cursor).isEqualTo(at(10));
        store.advanceCursor("s", at(60));
        assertThat(store.find("s")).get().extracting(StoredSchedule::cursor).isEqualTo(at(60));
        assertThat(store.claimTick("s", at(30), "one", at(90), at(60))).isFalse();
        store.advanceCursor("missing", at(60));
        assertThat(store.find("missing")).isEmpty();
    }

    @Test
    @DisplayName("a deleted schedule is gone with its claims; deleting an unknown one says false")
    void deleteRemovesScheduleAndClaims() {
        store.save(schedule("s", at(0)));
        assertThat(store.claimTick("s", at(1), "one", at(2), at(1))).isTrue();
        assertThat(store.delete("s")).isTrue();
        assertThat(store.find("s")).isEmpty();
        assertThat(store.abandonedTicks("s", at(100))).isEmpty();
        assertThat(store.claimTick("s", at(2), "one", at(30), at(2))).isFalse();
        assertThat(store.delete("s")).isFalse();

        store.save(schedule("s", at(50)));
        assertThat(store.abandonedTicks("s", at(100))).as("a re-created schedule has no old claims").isEmpty();
    }

    @Test
    @DisplayName("schedules are independent: claiming one's tick doesn't touch another's")
    void schedulesAreIndependent() {
        store.save(schedule("a", at(0)));
        store.save(schedule("b", at(0)));
        assertThat(store.claimTick("a", at(1), "one", at(31), at(1))).isTrue();
        assertThat(store.claimTick("b", at(1), "one", at(31), at(1))).isTrue();
        assertThat(store.find("b")).get().extracting(StoredSchedule::cursor).isEqualTo(at(1));
    }

    @Test
    @DisplayName("racing claimers: every tick is won by exactly one of them")
    void racingClaimersWinEachTickOnce() throws Exception {
        store.save(schedule("s", at(0)));
        int claimers = 4;
        int ticks = 50;
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<List<Instant>>> results = new ArrayList<>();
            for (int c = 0; c < claimers; c++) {
                String owner = "claimer-" + c;
                Callable<List<Instant>> claimer = () -> {
                    go.await();
                    List<Instant> won = new ArrayList<>();
                    for (int t = 1; t <= ticks; t++) {
                        if (store.claimTick("s", at(t), owner, at(t + 30), at(t))) {
                            won.add(at(t));
                        }
                    }
                    return won;
                };
                results.add(pool.submit(claimer));
            }
            go.countDown();
            List<Instant> all = new ArrayList<>();
            for (Future<List<Instant>> result : results) {
                all.addAll(result.get(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS));
            }
            assertThat(all).hasSize(ticks).doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
        }
    }
}
