package dev.ergate.testkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ergate.Job;
import dev.ergate.JobStatus;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.RetentionRunner;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.RetentionPolicy;
import dev.ergate.testkit.InMemoryJobAdmin;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.InMemoryJobStore;
import dev.ergate.testkit.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RetentionRunner")
class RetentionRunnerTest {

    private final ManualClock clock = ManualClock.create();
    private final InMemoryJobStore store = InMemoryJobStore.builder().clock(clock).build();
    private final InMemoryJobQueue queue = InMemoryJobQueue.builder().clock(clock).build();
    private final InMemoryJobAdmin admin = InMemoryJobAdmin.of(store, queue, clock);
    private final RetentionPolicy policy = RetentionPolicy.none()
            .withFinalJobsOlderThan(Duration.ofDays(7))
            .withDeadLettersOlderThan(Duration.ofDays(30))
            .withInterval(Duration.ofMinutes(1));

    @AfterEach
    void closeQueue() {
        queue.close();
    }

    private Job stored(String id, JobStatus status) {
        Job job = Job.builder().id(id).workflowName("w").status(status).build();
        store.update(job);
        return job;
    }

    private void deadLetter(String id) throws InterruptedException {
        queue.put(Job.builder().id(id).workflowName("w").build());
        Delivery delivery = queue.take(Duration.ofSeconds(1)).orElseThrow();
        delivery.deadLetter("test");
    }

    @Test
    @DisplayName("deletes final jobs and dead letters older than the policy, keeps the rest")
    void deletesWhatIsOld() throws Exception {
        stored("old-done", JobStatus.COMPLETED);
        stored("old-failed", JobStatus.FAILED);
        stored("old-running", JobStatus.RUNNING);
        deadLetter("old-dead");
        clock.advance(Duration.ofDays(8));
        stored("new-done", JobStatus.COMPLETED);

        RetentionRunner.Run run = RetentionRunner.of(admin, policy, clock, "a").runOnce();

        assertThat(run).isEqualTo(new RetentionRunner.Run(true, 2, 0));
        assertThat(store.jobs()).extracting(job -> job.id().value()).containsExactly("old-running", "new-done");
        assertThat(queue.deadLetters()).hasSize(1);

        clock.advance(Duration.ofDays(23));
        assertThat(RetentionRunner.of(admin, policy, clock, "a").runOnce().deadLettersDeleted()).isEqualTo(1);
        assertThat(queue.deadLetters()).isEmpty();
    }

    @Test
    @DisplayName("one worker at a time: another runner skips while the lease is held, and takes over after it")
    void oneAtATime() {
        RetentionRunner a = RetentionRunner.of(admin, policy, clock, "a");
        RetentionRunner b = RetentionRunner.of(admin, policy, clock, "b");
        stored("done", JobStatus.COMPLETED);
        clock.advance(Duration.ofDays(8));

        assertThat(a.runOnce().leaseHeld()).isTrue();
        assertThat(b.runOnce()).isEqualTo(new RetentionRunner.Run(false, 0, 0));
        clock.advance(Duration.ofMinutes(1));
        assertThat(a.runOnce().leaseHeld()).as("the holder renews").isTrue();
        assertThat(b.runOnce().leaseHeld()).isFalse();
        clock.advance(Duration.ofMinutes(3)); // a stopped: its lease (3 intervals) runs out
        assertThat(b.runOnce().leaseHeld()).isTrue();
        assertThat(a.runOnce().leaseHeld()).isFalse();
    }

    @Test
    @DisplayName("a worker built with a retention policy applies it while it runs")
    void workerOption() {
        stored("done", JobStatus.COMPLETED);
        clock.advance(Duration.ofDays(8));
        try (Ergate worker = Ergate.builder(queue, store).retention(admin, policy)
                .options(ErgateOptions.builder().clock(clock).handleSignals(false).build()).build()) {
            worker.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> store.size() == 0);
        }
    }

    @Test
    @DisplayName("runs in the background once started, and not at all when the policy deletes nothing")
    void background() {
        stored("done", JobStatus.COMPLETED);
        clock.advance(Duration.ofDays(8));
        try (RetentionRunner off = RetentionRunner.of(admin, RetentionPolicy.none(), clock, "off").start()) {
            assertThat(off.isRunning()).isFalse();
        }
        assertThat(store.size()).isEqualTo(1);
        try (RetentionRunner on = RetentionRunner.of(admin, policy, clock, "on").start()) {
            assertThat(on.isRunning()).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> store.size() == 0);
        }
    }
}
