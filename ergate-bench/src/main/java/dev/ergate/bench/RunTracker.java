package dev.ergate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.ConcurrentHistogram;
import org.jspecify.annotations.Nullable;

/**
 * Watches one phase of a harness run: times step-to-step latency (from a step's state being
 * written to the next step starting; see the module README for atomic finishes), counts jobs that
 * ended and checks each ended right. Thread-safe: every worker thread reports here.
 */
public final class RunTracker {

    private enum MarkKind { PENDING, WRITTEN, CONSUMED }

    /** What is known about one job between a step's write and the next step's start. */
    private record Mark(int stepsCompleted, long nanos, MarkKind kind) {
    }

    private final int steps;
    private final JsonNode expectedResult;
    /** Step-to-step latency in nanoseconds, 3 significant digits; recorded from many threads. */
    private final ConcurrentHistogram latency = new ConcurrentHistogram(3);
    private final ConcurrentHashMap<JobId, Mark> marks = new ConcurrentHashMap<>();
    private final CountDownLatch ended;
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong wrong = new AtomicLong();
    private final AtomicLong fromFinishStart = new AtomicLong();
    private final java.util.concurrent.atomic.LongAdder stepsStarted = new java.util.concurrent.atomic.LongAdder();
    /** Times 1 job in this many (by id hash): 1 times every job. */
    private final int timeOneIn;
    private final AtomicLong lastEndNanos = new AtomicLong();
    private final AtomicReference<@Nullable String> firstProblem = new AtomicReference<>();
    private volatile @Nullable Runnable onJobEnd;

    /**
     * @param steps how many steps each job has
     * @param expectedResult what each job's last step must return
     * @param jobs how many jobs the phase runs
     */
    public RunTracker(int steps, JsonNode expectedResult, int jobs) {
        this(steps, expectedResult, jobs, 1);
    }

    /**
     * @param steps how many steps each job has
     * @param expectedResult what each job's last step must return
     * @param jobs how many jobs the phase runs
     * @param timeOneIn time the latency of 1 job in this many, chosen by id hash (a power of 2;
     *     1: every job): a pre-loaded phase's latencies are queueing behind the backlog, and
     *     timing every job costs two map updates per step, a fifth of a memory run's CPU
     */
    public RunTracker(int steps, JsonNode expectedResult, int jobs, int timeOneIn) {
        if (timeOneIn < 1 || Integer.bitCount(timeOneIn) != 1) {
            throw new IllegalArgumentException("timeOneIn must be a power of 2, got " + timeOneIn);
        }
        this.timeOneIn = timeOneIn;
        this.steps = steps;
        this.expectedResult = Objects.requireNonNull(expectedResult, "expectedResult");
        this.ended = new CountDownLatch(jobs);
    }

    /** @param action run (on a worker thread) each time a job ends; must be quick */
    public void onJobEnd(Runnable action) {
        this.onJobEnd = action;
    }

    /**
     * A step's body starts.
     *
     * @param running the job as the step sees it (RUNNING, with its id)
     */
    public void stepStarted(Job running) {
        long now = System.nanoTime();
        stepsStarted.increment();
        JobId id = running.id();
        int before = running.stepsCompleted();
        if (id == null || before == 0 || !timed(id)) {
            return;
        }
        marks.compute(id, (key, mark) -> {
            if (mark == null || mark.stepsCompleted() != before) {
                return mark; // not seen (a re-run after a lost lease): not timed
            }
            return switch (mark.kind()) {
                case WRITTEN -> {
                    latency.recordValue(Math.max(0, now - mark.nanos()));
                    yield null;
                }
                case PENDING -> {
                    latency.recordValue(Math.max(0, now - mark.nanos()));
                    fromFinishStart.incrementAndGet();
                    yield new Mark(before, now, MarkKind.CONSUMED);
                }
                case CONSUMED -> mark;
            };
        });
    }

    /**
     * An atomic finish is about to write a job's new state (and put its next step).
     *
     * @param state the state it writes
     */
    public void finishStarting(Job state) {
        JobId id = state.id();
        if (id == null || state.status().isFinal() || state.status() == JobStatus.RUNNING || !timed(id)) {
            return;
        }
        long now = System.nanoTime();
        int after = state.stepsCompleted();
        marks.compute(id, (key, mark) -> mark != null && mark.stepsCompleted() > after
                ? mark : new Mark(after, now, MarkKind.PENDING));
    }

    /**
     * A job's new state was written (after its step, not the RUNNING state before it).
     *
     * @param state the state written
     */
    public void stateWritten(Job state) {
        if (state.status() == JobStatus.RUNNING) {
            return;
        }
        long now = System.nanoTime();
        JobId id = state.id();
        if (state.status().isFinal()) {
            if (id != null && timed(id)) {
                marks.remove(id);
            }
            jobEnded(state, now);
            return;
        }
        if (id == null || !timed(id)) {
            return;
        }
        int after = state.stepsCompleted();
        marks.compute(id, (key, mark) -> {
            if (mark != null && mark.stepsCompleted() > after) {
                return mark; // a later step already wrote: this call returned late
            }
            if (mark != null && mark.stepsCompleted() == after && mark.kind() == MarkKind.CONSUMED) {
                return null; // the next step already started and was timed
            }
            return new Mark(after, now, MarkKind.WRITTEN);
        });
    }

    private boolean timed(JobId id) {
        return timeOneIn == 1 || (id.hashCode() & (timeOneIn - 1)) == 0;
    }

    private void jobEnded(Job state, long now) {
        String problem = null;
        if (state.status() != JobStatus.COMPLETED) {
            problem = "job " + state.id() + " ended " + state.status() + ": " + state.exceptionTraceback();
        } else if (state.stepsCompleted() != steps) {
            problem = "job " + state.id() + " completed after " + state.stepsCompleted() + " steps, not " + steps;
        } else if (!expectedResult.equals(state.lastReturnValue())) {
            problem = "job " + state.id() + " completed with a result other than its payload";
        }
        if (problem == null) {
            completed.incrementAndGet();
        } else {
            wrong.incrementAndGet();
            firstProblem.compareAndSet(null, problem);
        }
        lastEndNanos.accumulateAndGet(now, Math::max);
        Runnable action = onJobEnd;
        if (action != null) {
            action.run();
        }
        ended.countDown();
    }

    /**
     * @param timeout the longest to wait
     * @return true when every job of the phase has ended
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitAllEnded(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** {@return the step-to-step latencies recorded so far, in nanoseconds} */
    public AbstractHistogram latency() {
        return latency;
    }

    /** {@return jobs that ended COMPLETED with every step and the right result} */
    public long completed() {
        return completed.get();
    }

    /** {@return jobs that ended any other way} */
    public long wrong() {
        return wrong.get();
    }

    /** {@return the first wrong ending, described, or {@code null} when none} */
    public @Nullable String firstProblem() {
        return firstProblem.get();
    }

    /** {@return steps whose body ran (re-runs after a lost lease count again)} */
    public long stepsStarted() {
        return stepsStarted.sum();
    }

    /**
     * @return steps that started before their previous step's atomic finish returned, and so
     *     were timed from the finish call's start (an upper bound)
     */
    public long timedFromFinishStart() {
        return fromFinishStart.get();
    }

    /** {@return {@link System#nanoTime()} when the last job ended, 0 before any} */
    public long lastEndNanos() {
        return lastEndNanos.get();
    }
}
