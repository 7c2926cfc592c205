package dev.ergate.testkit.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.runtime.schedule.MissedTicks;
import dev.ergate.runtime.schedule.Schedule;
import dev.ergate.runtime.schedule.ScheduleInfo;
import dev.ergate.runtime.schedule.Scheduler;
import dev.ergate.runtime.schedule.Schedules;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.InMemoryJobStore;
import dev.ergate.testkit.InMemoryScheduleStore;
import dev.ergate.testkit.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The scheduler's rules, on the in-memory backend with a fake clock that moves both ways. */
class SchedulerTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    private final MovableClock clock = new MovableClock(START);
    private final InMemoryScheduleStore schedules = InMemoryScheduleStore.create();
    private final InMemoryJobQueue queue = InMemoryJobQueue.create();
    private final InMemoryJobStore store = InMemoryJobStore.create();
    private final ErgateClient client = ErgateClient.builder(queue).store(store).scheduleStore(schedules).build();
    private final Schedules api = Schedules.of(schedules, new ObjectMapper(), clock);

    private Scheduler scheduler(String owner) {
        return Scheduler.builder(schedules, client).jobStore(store).clock(clock).owner(owner).build();
    }

    private static Instant at(String text) {
        return Instant.parse(text);
    }

    private List<JobId> jobIds(String scheduleId, String... ticks) {
        List<JobId> ids = new ArrayList<>();
        for (String tick : ticks) {
            ids.add(Scheduler.jobId(scheduleId, at(tick)));
        }
        return ids;
    }

    @Test
    @DisplayName("each interval tick submits one job, with the schedule's workflow, input and user context")
    void intervalTicksSubmitJobs() {
        api.save(Schedule.every("beat", Duration.ofSeconds(10)).workflow("ping").input(Map.of("n", 1))
                .userContext("alice").build());
        Scheduler scheduler = scheduler("one");

        assertThat(scheduler.runOnce()).as("nothing due at the save").isEmpty();
        clock.add(Duration.ofSeconds(10));
        assertThat(scheduler.runOnce()).isEqualTo(jobIds("beat", "2030-01-01T00:00:10Z"));
        assertThat(scheduler.runOnce()).as("the same tick again").isEmpty();
        clock.add(Duration.ofSeconds(25));
        assertThat(scheduler.runOnce()).isEqualTo(jobIds("beat", "2030-01-01T00:00:20Z", "2030-01-01T00:00:30Z"));

        Job job = queue.jobs().get(0);
        assertThat(job.id()).isEqualTo(JobId.of("schedule:beat@2030-01-01T00:00:10Z"));
        assertThat(job.workflowName()).isEqualTo("ping");
        assertThat(job.initialInputValue().path("n").asInt()).isEqualTo(1);
        assertThat(job.userContext().asText()).isEqualTo("alice");
        assertThat(queue.jobs()).hasSize(3);
    }

    @Test
    @DisplayName("three schedulers on one store: every tick gives exactly one job")
    void manySchedulersOneJobPerTick() {
        api.save(Schedule.every("beat", Duration.ofSeconds(1)).workflow("ping").build());
        List<Scheduler> schedulers = List.of(scheduler("a"), scheduler("b"), scheduler("c"));
        List<JobId> all = new ArrayList<>();
        for (int second = 0; second < 100; second++) {
            clock.add(Duration.ofMillis(1000));
            for (Scheduler s : schedulers) {
                all.addAll(s.runOnce());
            }
        }
        assertThat(all).hasSize(100).doesNotHaveDuplicates();
        assertThat(queue.jobs()).hasSize(100);
    }

    @Test
    @DisplayName("a scheduler that died between claim and submit: another submits the same job after the claim's lease")
    void abandonedClaimIsSubmittedByAnother() {
        api.save(Schedule.every("beat", Duration.ofMinutes(1)).workflow("ping").build());
        clock.set(at("2030-01-01T00:01:00Z"));
        // the dead scheduler's claim, made just before it died
        assertThat(schedules.claimTick("beat", clock.instant(), "dead", clock.instant().plusSeconds(30),
                clock.instant())).isTrue();
        Scheduler heir = scheduler("heir");
        assertThat(heir.runOnce()).as("the claim's lease is live").isEmpty();

        clock.add(Duration.ofSeconds(31));
        assertThat(heir.runOnce()).isEqualTo(jobIds("beat", "2030-01-01T00:01:00Z"));
        assertThat(heir.runOnce()).isEmpty();
        assertThat(queue.jobs()).extracting(Job::id).containsExactly(Scheduler.jobId("beat", at("2030-01-01T00:01:00Z")));
    }

    @Test
    @DisplayName("a take-over finds the job already past QUEUED: it is not queued a second time")
    void takeOverOfASubmittedJobQueuesNothing() {
        api.save(Schedule.every("beat", Duration.ofMinutes(1)).workflow("ping").build());
        clock.set(at("2030-01-01T00:01:00Z"));
        Instant tick = clock.instant();
        assertThat(schedules.claimTick("beat", tick, "dead", tick.plusSeconds(30), tick)).isTrue();
        // it submitted and a worker started the job; then it died before finishing the claim
        JobId id = Scheduler.jobId("beat", tick);
        store.update(Job.builder().id(id).workflowName("ping").status(JobStatus.RUNNING).build());

        clock.add(Duration.ofSeconds(31));
        assertThat(scheduler("heir").runOnce()).containsExactly(id);
        assertThat(queue.jobs()).isEmpty();
        assertThat(store.find(id)).get().extracting(Job::status).isEqualTo(JobStatus.RUNNING);
        assertThat(schedules.abandonedTicks("beat", clock.instant().plusSeconds(3600))).isEmpty();
    }

    @Test
    @DisplayName("missed ticks after a forward clock jump: skip fires none, runOnce the latest, catchUp(3) the latest three")
    void missedTickPolicies() {
        api.save(Schedule.every("skip", Duration.ofMinutes(1)).workflow("w").build());
        api.save(Schedule.every("once", Duration.ofMinutes(1)).workflow("w").missedTicks(MissedTicks.runOnce()).build());
        api.save(Schedule.every("three", Duration.ofMinutes(1)).workflow("w").missedTicks(MissedTicks.catchUp(3))
                .build());
        Scheduler scheduler = scheduler("one");

        clock.set(at("2030-01-01T01:00:30Z"));      // an hour passed at once; grace is a minute
        List<JobId> fired = scheduler.runOnce();
        assertThat(fired).containsExactlyInAnyOrderElementsOf(concat(
                jobIds("skip", "2030-01-01T01:00:00Z"),
                jobIds("once", "2030-01-01T00:59:00Z", "2030-01-01T01:00:00Z"),
                jobIds("three", "2030-01-01T00:57:00Z", "2030-01-01T00:58:00Z", "2030-01-01T00:59:00Z",
                        "2030-01-01T01:00:00Z")));
        assertThat(scheduler.runOnce()).isEmpty();
        clock.add(Duration.ofSeconds(30));
        assertThat(scheduler.runOnce()).hasSize(3).allSatisfy(id -> assertThat(id.value()).endsWith("01:01:00Z"));
    }

    private static List<JobId> concat(List<JobId> a, List<JobId> b, List<JobId> c) {
        List<JobId> all = new ArrayList<>(a);
        all.addAll(b);
        all.addAll(c);
        return all;
    }

    @Test
    @DisplayName("a backward clock jump fires nothing twice: ticks resume once the clock passes the last one again")
    void backwardClockJump() {
        api.save(Schedule.every("beat", Duration.ofMinutes(1)).workflow("w").build());
        Scheduler scheduler = scheduler("one");
        clock.set(at("2030-01-01T00:10:00Z"));
        assertThat(scheduler.runOnce()).isEqualTo(jobIds("beat", "2030-01-01T00:10:00Z"));

        clock.set(at("2030-01-01T00:02:00Z"));      // NTP puts the clock back 8 minutes
        for (int minute = 0; minute < 8; minute++) {
            clock.add(Duration.ofMinutes(1));
            assertThat(scheduler.runOnce()).as("at %s", clock.instant()).isEmpty();
        }
        clock.set(at("2030-01-01T00:11:00Z"));
        assertThat(scheduler.runOnce()).isEqualTo(jobIds("beat", "2030-01-01T00:11:00Z"));
        assertThat(queue.jobs()).hasSize(2);
    }

    @Test
    @DisplayName("a daily 02:30 Berlin cron over both 2030 changes: one job a day, at the change on the spring-forward day")
    void dailyCronAcrossDaylightSaving() {
        clock.set(at("2030-03-29T12:00:00Z"));
        api.save(Schedule.cron("daily", "30 2 * * *", "Europe/Berlin").workflow("w").build());
        Scheduler scheduler = scheduler("one");
        List<JobId> fired = new ArrayList<>();
        // a pass every 30 minutes for four days around each change
        for (Instant t = clock.instant(); t.isBefore(at("2030-04-02T12:00:00Z")); t = t.plus(Duration.ofMinutes(30))) {
            clock.set(t);
            fired.addAll(scheduler.runOnce());
        }
        clock.set(at("2030-10-25T12:00:00Z"));
        for (Instant t = clock.instant(); t.isBefore(at("2030-10-29T12:00:00Z")); t = t.plus(Duration.ofMinutes(30))) {
            clock.set(t);
            fired.addAll(scheduler.runOnce());
        }
        assertThat(fired).isEqualTo(jobIds("daily",
                "2030-03-30T01:30:00Z", "2030-03-31T01:00:00Z", "2030-04-01T00:30:00Z", "2030-04-02T00:30:00Z",
                // the jump from April to October skips (its ticks are older than the grace)
                "2030-10-26T00:30:00Z", "2030-10-27T00:30:00Z", "2030-10-28T01:30:00Z", "2030-10-29T01:30:00Z"));
    }

    @Test
    @DisplayName("pause, resume, delete and list with next fire times, through client.schedules()")
    void manageThroughTheClient() {
        api.save(Schedule.every("beat", Duration.ofMinutes(1)).workflow("w").build());
        api.save(Schedule.cron("nightly", "0 3 * * *", "UTC").workflow("report").build());
        assertThat(api.list()).extracting(ScheduleInfo::id, ScheduleInfo::nextFireTime).containsExactly(
                org.assertj.core.groups.Tuple.tuple("beat", at("2030-01-01T00:01:00Z")),
                org.assertj.core.groups.Tuple.tuple("nightly", at("2030-01-01T03:00:00Z")));

        Scheduler scheduler = scheduler("one");
        assertThat(api.pause("beat")).isTrue();
        assertThat(api.find("beat")).get().satisfies(info -> {
            assertThat(info.paused()).isTrue();
            assertThat(info.nextFireTime()).isNull();
        });
        clock.set(at("2030-01-01T00:05:30Z"));
        assertThat(scheduler.runOnce()).isEmpty();
        assertThat(api.resume("beat")).isTrue();
        assertThat(scheduler.runOnce()).as("ticks while paused don't fire").isEmpty();
        clock.set(at("2030-01-01T00:06:00Z"));
        assertThat(scheduler.runOnce()).isEqualTo(jobIds("beat", "2030-01-01T00:06:00Z"));

        assertThat(api.delete("beat")).isTrue();
        assertThat(api.delete("beat")).isFalse();
        clock.set(at("2030-01-01T00:07:00Z"));
        assertThat(scheduler.runOnce()).isEmpty();
        assertThat(api.list()).extracting(ScheduleInfo::id).containsExactly("nightly");
        assertThat(client.schedules().find("nightly")).get().extracting(info -> info.schedule().workflow())
                .isEqualTo("report");
    }

    @Test
    @DisplayName("saving the same schedule again (a redeploy) keeps its due ticks; a new timing counts from now")
    void resaveKeepsCursorNewTimingResets() {
        api.save(Schedule.every("beat", Duration.ofMinutes(1)).workflow("w").missedTicks(MissedTicks.catchUp(5))
                .build());
        clock.set(at("2030-01-01T00:03:30Z"));
        api.save(Schedule.every("beat", Duration.ofMinutes(1)).workflow("w2").missedTicks(MissedTicks.catchUp(5))
                .build());
        assertThat(scheduler("one").runOnce()).isEqualTo(jobIds("beat",
                "2030-01-01T00:01:00Z", "2030-01-01T00:02:00Z", "2030-01-01T00:03:00Z"));
        assertThat(queue.jobs()).extracting(Job::workflowName).containsOnly("w2");

        clock.set(at("2030-01-01T00:10:30Z"));
        api.save(Schedule.every("beat", Duration.ofMinutes(2)).workflow("w2").build());
        assertThat(scheduler("one").runOnce()).isEmpty();
        clock.set(at("2030-01-01T00:12:00Z"));
        assertThat(scheduler("one").runOnce()).isEqualTo(jobIds("beat", "2030-01-01T00:12:00Z"));
    }
}
