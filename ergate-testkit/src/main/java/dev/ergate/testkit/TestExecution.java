package dev.ergate.testkit;

import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.JobRunner;
import dev.ergate.runtime.PreparedStep;
import dev.ergate.runtime.StepResult;
import dev.ergate.spi.StepStart;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One job run step by step by a {@link WorkflowTester}, in the calling thread: each {@link
 * #step()} does what a worker does with one delivery (the fake clock jumps over waits), and the
 * job goes through {@link JobCodec} between steps as through a queue. Not thread-safe.
 */
public final class TestExecution {

    private static final JobCodec CODEC = JobCodec.standard();

    private final WorkflowTester tester;
    private final JobRunner runner;
    private final InMemoryJobStore store;
    private final ManualClock clock;
    private final JobId id;
    private final Instant startedAt;
    private final List<StepResult> steps = new ArrayList<>();
    private @Nullable Job next;
    private Job current;

    TestExecution(WorkflowTester tester, JobRunner runner, ManualClock clock, Job job) {
        this.tester = tester;
        this.runner = runner;
        this.clock = clock;
        this.store = InMemoryJobStore.builder().clock(clock).build();
        Job withId = job.id() == null ? job.toBuilder().id(JobId.random()).build() : job;
        this.id = Objects.requireNonNull(withId.id());
        this.current = withId;
        this.next = withId;
        this.startedAt = clock.instant();
        store.update(withId);
    }

    /** {@return the job's id (assigned at start when the job had none)} */
    public JobId id() {
        return id;
    }

    /** {@return the job's latest state: as submitted before the first step, then as last written} */
    public Job job() {
        return current;
    }

    /** {@return true once the job has ended (final), so no step is left to run} */
    public boolean isDone() {
        return next == null;
    }

    /**
     * {@return the name of the step that runs next, or empty when the job is done (or its next step
     * can't be determined before it runs, such as for an unknown workflow)}
     */
    public Optional<String> nextStep() {
        Job job = next;
        if (job == null) {
            return Optional.empty();
        }
        return tester.nextStepName(job);
    }

    /**
     * Runs the job's next step, moving the fake clock forward first if the job must wait.
     *
     * @return what the step did
     * @throws IllegalStateException if the job is already done
     */
    public StepResult step() {
        Job job = next;
        if (job == null) {
            throw new IllegalStateException("job " + id + " has already ended " + current.status()
                    + "; there is no step left to run");
        }
        Instant due = job.requestedStartTime();
        if (due != null && due.isAfter(clock.instant())) {
            clock.set(due);
        }
        StepResult result = runOne(job);
        steps.add(result);
        result.state().ifPresent(store::update);
        runner.notifyFinished(result);
        current = store.find(id).orElse(current);
        Job following = result.next().orElse(null);
        if (following == null && current.status() == JobStatus.PENDING) {
            // the worker wrote PENDING: play the publisher, which puts the job on the queue again
            following = current.toBuilder().status(JobStatus.QUEUED).build();
        }
        next = following == null ? null : CODEC.decode(CODEC.encode(following));
        return result;
    }

    /** The worker's two calls: prepare, then (when the store lets the step start) execute. */
    private StepResult runOne(Job job) {
        PreparedStep prepared = runner.prepare(job);
        if (!prepared.runs()) {
            return prepared.outcome();
        }
        StepStart start = store.startStep(prepared.running());
        if (start != StepStart.STARTED) {
            return runner.notStarted(prepared, start);
        }
        runner.notifyStarted(prepared.running());
        return runner.execute(prepared);
    }

    /**
     * Runs steps until the job is done.
     *
     * @return the run's outcome
     * @throws IllegalStateException if the job does not end within the tester's {@linkplain
     *     WorkflowTester.Builder#maxSteps(int) step limit} (an endless retry?)
     */
    public TestRun runToEnd() {
        while (!isDone()) {
            if (steps.size() >= tester.maxSteps()) {
                throw new IllegalStateException("job " + id + " of workflow '" + current.workflowName()
                        + "' did not end within " + tester.maxSteps() + " steps (last: " + current
                        + "); raise WorkflowTester.Builder.maxSteps if that is expected");
            }
            step();
        }
        return result();
    }

    /**
     * Asks for the job to be cancelled, as {@link dev.ergate.spi.JobStore#requestCancel} would: its
     * next step does not run, and it ends CANCELLED. A job waiting in the store (PENDING after a
     * step, with {@code afterStepStatus(PENDING)}) has no message a worker would see, so it is
     * CANCELLED at once, as on a real backend, and nothing runs after it.
     *
     * @return true if the job is now CANCELLING or CANCELLED, false if it had already ended
     */
    public boolean requestCancel() {
        boolean accepted = store.requestCancel(id);
        current = store.find(id).orElse(current);
        if (current.status().isFinal()) {
            next = null;
        }
        return accepted;
    }

    /** {@return every state the runtime wrote to the store so far, oldest first (not the submitted one)} */
    public List<Job> updates() {
        List<Job> written = store.history(id);
        return List.copyOf(written.subList(1, written.size()));
    }

    /** {@return the result of every step run so far} */
    public List<StepResult> steps() {
        return List.copyOf(steps);
    }

    /** {@return the run so far, as a {@link TestRun}} */
    public TestRun result() {
        return new TestRun(current, updates(), steps,
                Duration.between(startedAt, clock.instant()), tester.objectMapper());
    }

    @Override
    public String toString() {
        return "TestExecution[" + current + ", steps run=" + steps.size() + "]";
    }
}
