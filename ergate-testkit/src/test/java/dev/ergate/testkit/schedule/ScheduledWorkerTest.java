package dev.ergate.testkit.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ergate.JobStatus;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.runtime.ErgatePublisher;
import dev.ergate.runtime.Workflow;
import dev.ergate.runtime.schedule.Schedule;
import dev.ergate.runtime.schedule.Scheduler;
import dev.ergate.spi.JobQuery;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.InMemoryJobStore;
import dev.ergate.testkit.InMemoryScheduleStore;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Schedules fired by the loop inside a worker or a publisher, on the real clock. */
class ScheduledWorkerTest {

    private final InMemoryJobQueue queue = InMemoryJobQueue.create();
    private final InMemoryJobStore store = InMemoryJobStore.create();
    private final InMemoryScheduleStore schedules = InMemoryScheduleStore.create();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Workflow ping = Workflow.builder("ping")
            .step("record", String.class, (input, ctx) -> {
                seen.add(input + "/" + ctx.userContext(String.class));
                return "ok";
            })
            .build();

    @Test
    @DisplayName("Ergate.Builder.schedules: two workers with a 1-second schedule run one job a tick, to completion")
    void workersFireSchedules() {
        ErgateClient client = ErgateClient.builder(queue).store(store).scheduleStore(schedules).build();
        client.schedules().save(Schedule.every("beat", Duration.ofSeconds(1)).workflow("ping").input("in")
                .userContext("bob").build());
        try (Ergate first = Ergate.builder(queue, store).schedules(schedules).build().registerWorkflow(ping);
                Ergate second = Ergate.builder(queue, store).schedules(schedules).build().registerWorkflow(ping)) {
            first.start();
            second.start();
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    store.list(JobQuery.builder().status(JobStatus.COMPLETED).build()).jobs().size() >= 3);
        }
        var completed = store.list(JobQuery.builder().status(JobStatus.COMPLETED).pageSize(1000).build()).jobs();
        assertThat(completed).allSatisfy(job -> assertThat(job.id().value()).startsWith("schedule:beat@"));
        assertThat(completed).extracting(job -> job.id().value()).doesNotHaveDuplicates();
        assertThat(seen).containsExactly("in/bob");
    }

    @Test
    @DisplayName("ErgatePublisher.Builder.scheduler: the publisher's process fires schedules too")
    void publisherFiresSchedules() {
        ErgateClient client = ErgateClient.builder(queue).store(store).scheduleStore(schedules).build();
        client.schedules().save(Schedule.every("beat", Duration.ofSeconds(1)).workflow("ping").build());
        Scheduler scheduler = Scheduler.builder(schedules, client).jobStore(store).build();
        try (ErgatePublisher publisher = ErgatePublisher.builder(store, queue).scheduler(scheduler).build()) {
            publisher.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> queue.jobs().size() >= 2);
        }
        assertThat(queue.jobs()).allSatisfy(job -> assertThat(job.workflowName()).isEqualTo("ping"));
    }
}
