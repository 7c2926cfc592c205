package dev.ergate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RunTrackerTest {

    private final JsonNode payload = TextNode.valueOf("p");
    private final JobId id = JobId.of("j1");

    private Job state(JobStatus status, int stepsCompleted, JsonNode result) {
        return BenchWorkflow.job(id, payload).toBuilder().status(status).stepsCompleted(stepsCompleted)
                .lastReturnValue(result).build();
    }

    @Test
    void timesFromTheStateWrittenToTheNextStepStarting() throws InterruptedException {
        RunTracker tracker = new RunTracker(2, payload, 1);
        tracker.stepStarted(state(JobStatus.RUNNING, 0, payload));
        tracker.stateWritten(state(JobStatus.RUNNING, 0, payload));
        assertThat(tracker.latency().getTotalCount()).as("a first step has no step before it").isZero();
        tracker.stateWritten(state(JobStatus.QUEUED, 1, payload));
        tracker.stepStarted(state(JobStatus.RUNNING, 1, payload));
        assertThat(tracker.latency().getTotalCount()).isEqualTo(1);
        assertThat(tracker.timedFromFinishStart()).isZero();
        tracker.stateWritten(state(JobStatus.COMPLETED, 2, payload));
        assertThat(tracker.awaitAllEnded(Duration.ZERO)).isTrue();
        assertThat(tracker.completed()).isEqualTo(1);
        assertThat(tracker.wrong()).isZero();
        assertThat(tracker.stepsStarted()).isEqualTo(2);
        assertThat(tracker.lastEndNanos()).isPositive();
    }

    @Test
    void aStepStartingBeforeItsAtomicFinishReturnedIsTimedFromTheFinishStart() {
        RunTracker tracker = new RunTracker(3, payload, 1);
        tracker.finishStarting(state(JobStatus.QUEUED, 1, payload));
        tracker.stepStarted(state(JobStatus.RUNNING, 1, payload));
        assertThat(tracker.timedFromFinishStart()).isEqualTo(1);
        assertThat(tracker.latency().getTotalCount()).isEqualTo(1);
        tracker.stateWritten(state(JobStatus.QUEUED, 1, payload));
        // the next step is timed exactly again from its own write
        tracker.finishStarting(state(JobStatus.QUEUED, 2, payload));
        tracker.stateWritten(state(JobStatus.QUEUED, 2, payload));
        tracker.stepStarted(state(JobStatus.RUNNING, 2, payload));
        assertThat(tracker.latency().getTotalCount()).isEqualTo(2);
        assertThat(tracker.timedFromFinishStart()).isEqualTo(1);
    }

    @Test
    void aFinishReturningAfterTheNextStepAlreadyWroteDoesNotSpoilItsMark() {
        RunTracker tracker = new RunTracker(3, payload, 1);
        tracker.finishStarting(state(JobStatus.QUEUED, 1, payload));
        tracker.stepStarted(state(JobStatus.RUNNING, 1, payload));
        tracker.finishStarting(state(JobStatus.QUEUED, 2, payload));
        tracker.stateWritten(state(JobStatus.QUEUED, 2, payload));
        tracker.stateWritten(state(JobStatus.QUEUED, 1, payload)); // the first finish returns late
        tracker.stepStarted(state(JobStatus.RUNNING, 2, payload));
        assertThat(tracker.latency().getTotalCount()).isEqualTo(2);
        assertThat(tracker.timedFromFinishStart()).isEqualTo(1);
    }

    @Test
    void aStaleMarkOfAnEarlierStepIsNotUsed() {
        RunTracker tracker = new RunTracker(3, payload, 1);
        tracker.stateWritten(state(JobStatus.QUEUED, 1, payload));
        tracker.stepStarted(state(JobStatus.RUNNING, 2, payload));
        assertThat(tracker.latency().getTotalCount()).isZero();
    }

    @Test
    void jobsEndingWrongAreCountedWithTheFirstReason() throws InterruptedException {
        RunTracker tracker = new RunTracker(2, payload, 3);
        AtomicInteger ends = new AtomicInteger();
        tracker.onJobEnd(ends::incrementAndGet);
        tracker.stateWritten(state(JobStatus.FAILED, 1, payload).toBuilder().exceptionTraceback("boom").build());
        tracker.stateWritten(state(JobStatus.COMPLETED, 1, payload));
        assertThat(tracker.awaitAllEnded(Duration.ofMillis(1))).isFalse();
        tracker.stateWritten(state(JobStatus.COMPLETED, 2, TextNode.valueOf("other")));
        assertThat(tracker.awaitAllEnded(Duration.ZERO)).isTrue();
        assertThat(tracker.completed()).isZero();
        assertThat(tracker.wrong()).isEqualTo(3);
        assertThat(tracker.firstProblem()).contains("FAILED").contains("boom");
        assertThat(ends).hasValue(3);
    }
}
