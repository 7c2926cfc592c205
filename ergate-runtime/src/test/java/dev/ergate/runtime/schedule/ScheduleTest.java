package dev.ergate.runtime.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static List<Instant> ticks(Schedule schedule, String from, int count) {
        List<Instant> ticks = new ArrayList<>();
        Instant t = Instant.parse(from);
        for (int i = 0; i < count; i++) {
            t = schedule.nextTick(t).orElseThrow();
            ticks.add(t);
        }
        return ticks;
    }

    private static List<Instant> instants(String... texts) {
        return java.util.Arrays.stream(texts).map(Instant::parse).toList();
    }

    @Test
    @DisplayName("spring forward in Berlin: 02:30 does not exist on 31 March 2030, so it fires once at the change (03:00 CEST)")
    void springForwardFiresAtTheChange() {
        Schedule daily = Schedule.cron("daily", "30 2 * * *", BERLIN).workflow("w").build();
        assertThat(ticks(daily, "2030-03-29T12:00:00Z", 4)).isEqualTo(instants(
                "2030-03-30T01:30:00Z",     // 02:30 CET
                "2030-03-31T01:00:00Z",     // the change: 02:00 CET became 03:00 CEST
                "2030-04-01T00:30:00Z",     // 02:30 CEST
                "2030-04-02T00:30:00Z"));
    }

    @Test
    @DisplayName("fall back in Berlin: 02:30 happens twice on 27 October 2030 and fires once, at its first occurrence")
    void fallBackFiresOnce() {
        Schedule daily = Schedule.cron("daily", "30 2 * * *", BERLIN).workflow("w").build();
        assertThat(ticks(daily, "2030-10-26T12:00:00Z", 3)).isEqualTo(instants(
                "2030-10-27T00:30:00Z",     // 02:30 CEST; 02:30 CET an hour later does not fire
                "2030-10-28T01:30:00Z",     // 02:30 CET
                "2030-10-29T01:30:00Z"));
    }

    @Test
    @DisplayName("fall back: from any time inside the repeated hour, the second 02:30 does not fire")
    void fallBackRepeatNeverFires() {
        Schedule daily = Schedule.cron("daily", "30 2 * * *", BERLIN).workflow("w").build();
        for (String from : List.of("2030-10-27T00:31:00Z", "2030-10-27T00:59:00Z", "2030-10-27T01:29:00Z")) {
            assertThat(daily.nextTick(Instant.parse(from))).as("after %s", from)
                    .contains(Instant.parse("2030-10-28T01:30:00Z"));
        }
    }

    @Test
    @DisplayName("an hourly cron follows real hours across both changes")
    void hourlyCronFollowsRealHours() {
        Schedule hourly = Schedule.cron("hourly", "0 * * * *", BERLIN).workflow("w").build();
        assertThat(ticks(hourly, "2030-03-30T23:30:00Z", 4)).isEqualTo(instants(
                "2030-03-31T00:00:00Z", "2030-03-31T01:00:00Z", "2030-03-31T02:00:00Z", "2030-03-31T03:00:00Z"));
        assertThat(ticks(hourly, "2030-10-26T23:30:00Z", 4)).isEqualTo(instants(
                "2030-10-27T00:00:00Z", "2030-10-27T01:00:00Z", "2030-10-27T02:00:00Z", "2030-10-27T03:00:00Z"));
    }

    @Test
    @DisplayName("an interval ticks on multiples of itself since the epoch, so every process computes the same ticks")
    void intervalIsAlignedToTheEpoch() {
        Schedule every = Schedule.every("e", Duration.ofMinutes(15)).workflow("w").build();
        assertThat(ticks(every, "2030-01-01T10:07:12Z", 2))
                .isEqualTo(instants("2030-01-01T10:15:00Z", "2030-01-01T10:30:00Z"));
        assertThat(every.nextTick(Instant.parse("2030-01-01T10:15:00Z")))
                .contains(Instant.parse("2030-01-01T10:30:00Z"));
    }

    @Test
    @DisplayName("a bad field is refused, naming the field")
    void badFieldsAreNamed() {
        assertThatThrownBy(() -> Schedule.cron("s", "61 * * * *", BERLIN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schedule cron '61 * * * *'");
        assertThatThrownBy(() -> Schedule.cron("s", "* * *", BERLIN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schedule cron '* * *'");
        assertThatThrownBy(() -> Schedule.cron("s", "0 2 * * *", "Europe/Atlantis"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schedule zone 'Europe/Atlantis'");
        assertThatThrownBy(() -> Schedule.every("s", Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schedule interval");
        assertThatThrownBy(() -> Schedule.every(" ", Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schedule id");
        assertThatThrownBy(() -> Schedule.every("s", Duration.ofMinutes(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schedule 's' needs a workflow");
        assertThatThrownBy(() -> MissedTicks.catchUp(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("catchUp(N) needs N >= 1, got 0");
    }

    @Test
    @DisplayName("latest missed ticks: the last N in the window, oldest first, also across a daylight-saving change")
    void latestMissedTicks() {
        Schedule daily = Schedule.cron("daily", "30 2 * * *", BERLIN).workflow("w").build();
        assertThat(DueTicks.latest(daily.timing(), Instant.parse("2030-03-20T00:00:00Z"),
                Instant.parse("2030-04-01T12:00:00Z"), 3)).isEqualTo(instants(
                "2030-03-30T01:30:00Z", "2030-03-31T01:00:00Z", "2030-04-01T00:30:00Z"));
        assertThat(DueTicks.latest(daily.timing(), Instant.parse("2030-03-31T00:00:00Z"),
                Instant.parse("2030-04-01T12:00:00Z"), 5)).as("fewer in the window than asked").isEqualTo(instants(
                "2030-03-31T01:00:00Z", "2030-04-01T00:30:00Z"));
    }
}
