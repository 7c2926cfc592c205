package dev.ergate.testkit.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.runtime.Workflow;
import dev.ergate.runtime.schedule.MissedTicks;
import dev.ergate.runtime.schedule.Schedule;
import dev.ergate.runtime.schedule.ScheduleInfo;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.InMemoryJobStore;
import dev.ergate.testkit.InMemoryScheduleStore;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The runtime README's "Recurring schedules" example, compiled and run. */
class SchedulesReadmeExampleTest {

    record ReportRequest(String kind) { }

    @Test
    @DisplayName("the README's schedules example saves, pauses, lists and builds a scheduling worker")
    void readmeExample() {
        InMemoryJobQueue queue = InMemoryJobQueue.create();
        InMemoryJobStore store = InMemoryJobStore.create();
        InMemoryScheduleStore schedules = InMemoryScheduleStore.create();
        Workflow report = Workflow.builder("report").step("run", ReportRequest.class, (r, ctx) -> r.kind()).build();

        // --- README: Recurring schedules
        ErgateClient client = ErgateClient.builder(queue).store(store).scheduleStore(schedules).build();
        client.schedules().save(Schedule.cron("nightly-report", "30 2 * * *", "Europe/Berlin")
                .workflow("report")
                .input(new ReportRequest("daily"))
                .userContext("ops")
                .missedTicks(MissedTicks.runOnce())             // or skip() (the default), catchUp(n)
                .build());
        client.schedules().save(Schedule.every("heartbeat", Duration.ofSeconds(30)).workflow("ping").build());

        client.schedules().pause("heartbeat");                   // resume(id), delete(id)
        for (ScheduleInfo info : client.schedules().list()) {    // by id, with the next fire time
            System.out.println(info.id() + " next at " + info.nextFireTime() + (info.paused() ? " (paused)" : ""));
        }

        Ergate worker = Ergate.builder(queue, store)
                .schedules(schedules)                            // one scheduler thread in this process
                .build()
                .registerWorkflow(report);
        // --- end of the README's example

        worker.close();
        assertThat(client.schedules().list()).extracting(ScheduleInfo::id).containsExactly("heartbeat", "nightly-report");
        ScheduleInfo nightly = client.schedules().find("nightly-report").orElseThrow();
        assertThat(nightly.nextFireTime()).isNotNull();
        assertThat(nightly.nextFireTime().atZone(ZoneId.of("Europe/Berlin")).toLocalTime().toString()).isEqualTo("02:30");
        assertThat(nightly.schedule().missedTicks()).isEqualTo(MissedTicks.runOnce());
        assertThat(client.schedules().find("heartbeat").orElseThrow().paused()).isTrue();
    }
}
