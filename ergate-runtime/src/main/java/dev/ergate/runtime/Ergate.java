package dev.ergate.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.internal.PausePoints;
import dev.ergate.spi.AtomicStepFinish;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.ErgateBackendException;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.JobTooLargeException;
import dev.ergate.spi.ScheduleStore;
import dev.ergate.spi.StaleStateException;
import dev.ergate.spi.StateStore;
import dev.ergate.spi.StepPlan;
import dev.ergate.spi.StepStart;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker: {@link ErgateOptions#concurrency()} threads each take a job from a {@link JobQueue},
 * record its start in a {@link StateStore}, run one step with a {@link JobRunner}, and settle the
 * delivery (state, next put, ack). At-least-once: a crash before the ack runs the step again.
 * {@link #close()} or SIGTERM drains running steps. See DESIGN.md, "A step, end to end". Thread-safe.
 */
public final class Ergate implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Ergate.class);
    /**
     * How long {@link #close()} waits, after the drain timeout, for cut-off steps to unwind from
     * their interrupt. Short on purpose: a step that ignores interrupts must not hold the stop (and
     * a SIGTERM'd JVM's exit) past the drain timeout; its delivery is already released.
     */
    private static final Duration CUT_OFF_GRACE = Duration.ofSeconds(1);

    private enum State { NEW, RUNNING, STOPPING, STOPPED }

    private final JobQueue queue;
    private final StateStore store;
    private final ErgateOptions options;
    private final JobRunner runner;
    private final @Nullable Lifespan lifespan;
    private final BackendCalls backend;
    /** Every listener, as one. */
    private final ErgateListener events;
    /** Whether the job's MDC keys are set (on by default). */
    private final boolean mdc;
    private final Object lock = new Object();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** One per worker thread, as {@link #workers}; filled by {@link #start()}. */
    private final List<InFlight> inFlight = new ArrayList<>();
    private final List<Thread> workers = new ArrayList<>();
    private State state = State.NEW;
    private @Nullable LeaseKeeper leaseKeeper;
    private @Nullable AutoCloseable lifespanHandle;
    private @Nullable AtomicStepFinish atomicFinish;
    /** Whether the queue records steps' starts as it leases jobs ({@link JobQueue#startOnTake}). */
    private boolean startOnTake;
    /** The registered workflows' step names, for {@link JobQueue#startOnTake}; replaced on registration. */
    private volatile Map<String, List<String>> stepPlan = Map.of();
    /** Pauses the takers while the store fails transiently. */
    private final StoreCircuit circuit;
    /** Applies the retention policy while the worker runs, or null when none was given. */
    private final @Nullable RetentionRunner retention;
    /** Fires recurring schedules while the worker runs, or null when none was asked for. */
    private final dev.ergate.runtime.schedule.@Nullable Scheduler scheduler;

    private Ergate(Builder b) {
        this.queue = b.queue;
        this.store = b.store;
        this.options = b.options;
        this.lifespan = b.lifespan;
        JobRunner.Builder runnerBuilder = JobRunner.builder()
                .clock(options.clock())
                .afterStepStatus(options.afterStepStatus())
                .dependencies(b.dependencies)
                .objectMapper(b.objectMapper)
                .random(b.random);
        b.listeners.forEach(runnerBuilder::listener);
        b.interceptors.forEach(runnerBuilder::interceptor);
        b.hooks.forEach(hook -> hook.addTo(runnerBuilder));
        this.runner = runnerBuilder.callerSetsMdc().mdc(b.mdc).build();
        this.mdc = b.mdc;
        this.events = runner.listeners();
        this.backend = new BackendCalls(options, events);
        this.circuit = new StoreCircuit(backend::backoff, this::probeStore);
        this.retention = b.retentionAdmin == null || !b.retentionPolicy.isEnabled() ? null
                : RetentionRunner.of(b.retentionAdmin, b.retentionPolicy, options.clock(),
                        "ergate-" + java.util.UUID.randomUUID());
        this.scheduler = b.scheduler != null ? b.scheduler : b.scheduleStore == null ? null
                : dev.ergate.runtime.schedule.Scheduler.builder(b.scheduleStore, ErgateClient.builder(queue)
                                .store(store).objectMapper(b.objectMapper).scheduleStore(b.scheduleStore).build())
                        .jobStore(store instanceof JobStore jobs ? jobs : null)
                        .clock(options.clock())
                        .build();
    }

    /**
     * @param queue where jobs wait
     * @param store where job states are written (a {@link JobStore} also enables cancellation)
     * @return a builder
     */
    public static Builder builder(JobQueue queue, StateStore store) {
        return new Builder(queue, store);
    }

    /**
     * Adds a workflow this worker can run; allowed before and after {@link #start()}.
     *
     * @param workflow the workflow
     * @return this app
     * @throws WorkflowDefinitionException at once, naming workflow and step, when it is a duplicate,
     *     needs a dependency nobody provides, or its providers form a cycle
     */
    public Ergate registerWorkflow(Workflow workflow) {
        synchronized (lock) {
            runner.register(workflow);
            Map<String, List<String>> plan = new java.util.HashMap<>(stepPlan);
            plan.put(workflow.name(), List.copyOf(workflow.stepNames()));
            stepPlan = Map.copyOf(plan);
        }
        return this;
    }

    /**
     * Compiles and adds an annotated workflow object ({@link Workflow#fromAnnotated(Object)}).
     *
     * @param annotatedWorkflow an instance of an {@code @ErgateWorkflow} class
     * @return this app
     * @throws WorkflowDefinitionException as {@link #registerWorkflow(Workflow)}
     */
    public Ergate registerAnnotated(Object annotatedWorkflow) {
        return registerWorkflow(Workflow.fromAnnotated(annotatedWorkflow));
    }

    /** {@return the registered workflows, by name (a read-only snapshot)} */
    public Map<String, Workflow> workflows() {
        return runner.workflows();
    }

    /** {@return the options} */
    public ErgateOptions options() {
        return options;
    }

    /** {@return how many worker threads take and run steps: {@link ErgateOptions#concurrency()}} */
    public int concurrency() {
        return options.concurrency();
    }

    /**
     * {@return how many worker threads are handling a delivery now (running its step or recording
     * its outcome); at most {@link #concurrency()}, 0 before the start and after the stop}
     */
    public int busyThreads() {
        int busy = 0;
        for (InFlight flight : inFlight) {
            if (flight.busy()) {
                busy++;
            }
        }
        return busy;
    }

    /**
     * Starts the worker threads and returns; for embedding. Runs the lifespan's start first and
     * checks the queue can serve {@link ErgateOptions#concurrency()} takers.
     *
     * @throws IllegalStateException if already started, or the queue can't serve that many takers
     * @throws WorkflowDefinitionException if the lifespan's start fails (wrapped)
     */
    public void start() {
        synchronized (lock) {
            if (state != State.NEW) {
                throw new IllegalStateException("this Ergate worker was already started (state " + state + ")");
            }
            queue.checkCapacity(options.concurrency());
            if (lifespan != null) {
                try {
                    lifespanHandle = lifespan.start(this);
                } catch (Exception e) {
                    state = State.STOPPED;
                    stopped.countDown();
                    throw new IllegalStateException("the lifespan's start failed, so the worker does not start: " + e, e);
                }
            }
            atomicFinish = queue.atomicStepFinish(store).orElse(null);
            StepPlan plan = () -> stepPlan;
            startOnTake = options.checkCancellation() && store instanceof JobStore jobStore
                    && queue.startOnTake(jobStore, plan);
            LeaseKeeper keeper = new LeaseKeeper(options.concurrency(), "ergate-lease-keeper", events, mdc);
            leaseKeeper = keeper;
            for (int i = 0; i < options.concurrency(); i++) {
                InFlight flight = new InFlight(keeper.slot(i));
                Thread worker = new Thread(() -> workLoop(flight), "ergate-worker-" + (i + 1));
                flight.thread = worker;
                inFlight.add(flight);
                workers.add(worker);
            }
            state = State.RUNNING;
            events.workerStarted();
            keeper.start();
            workers.forEach(Thread::start);
            if (retention != null) {
                retention.start();
            }
            if (scheduler != null) {
                scheduler.start();
            }
            LOG.info("Ergate worker started: {} threads, workflows {}, atomic finish {}, start on take {}",
                    options.concurrency(), runner.workflows().keySet(), atomicFinish != null, startOnTake);
        }
    }

    /**
     * Starts the worker and blocks until it has stopped: by {@link #close()} from another thread,
     * or by SIGTERM/SIGINT when {@link ErgateOptions#handleSignals()} is on (a JVM shutdown hook
     * drains the worker before the JVM exits). If the calling thread is interrupted, the worker is
     * closed.
     */
    public void run() {
        Thread hook = null;
        if (options.handleSignals()) {
            // before the start, so a SIGTERM as soon as the first step runs still drains it
            hook = new Thread(this::close, "ergate-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
        }
        try {
            start();
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
        } finally {
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is exiting: the hook is running or has run
                }
            }
        }
    }

    /**
     * @param timeout the longest to wait
     * @return true if the worker has stopped
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** {@return true between {@link #start()} and the beginning of {@link #close()}} */
    public boolean isRunning() {
        synchronized (lock) {
            return state == State.RUNNING;
        }
    }

    /**
     * Stops taking jobs, lets running steps finish within the drain timeout (writing their state),
     * releases the deliveries of steps still running after it and interrupts them, then runs the
     * lifespan's close. Returns when the worker has stopped, at most about a second after the drain
     * timeout even if a step ignores its interrupt. Idempotent; safe from any thread.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (state == State.NEW) {
                state = State.STOPPED;
                stopRequested.countDown();
                stopped.countDown();
                runner.close();
                return;
            }
            if (state != State.RUNNING) {
                // someone else is stopping it: wait for them
                awaitQuietly();
                return;
            }
            state = State.STOPPING;
        }
        LOG.info("Ergate worker stopping: draining {} running steps (up to {})",
                inFlight.stream().filter(InFlight::busy).count(), options.drainTimeout());
        stopRequested.countDown();
        if (retention != null) {
            retention.close();
        }
        if (scheduler != null) {
            scheduler.close();
        }
        long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        joinAll(deadline);
        if (workers.stream().anyMatch(Thread::isAlive)) {
            for (InFlight flight : inFlight) {
                flight.cutOff();
            }
            joinAll(System.nanoTime() + CUT_OFF_GRACE.toNanos());
            for (Thread worker : workers) {
                if (worker.isAlive()) {
                    LOG.warn("Worker thread {} did not stop after being cut off; leaving it", worker.getName());
                }
            }
        }
        releaseHeldQuietly();
        if (leaseKeeper != null) {
            leaseKeeper.close();
        }
        runner.close();
        if (lifespanHandle != null) {
            try {
                lifespanHandle.close();
            } catch (Exception e) {
                LOG.warn("The lifespan's close failed", e);
            }
        }
        synchronized (lock) {
            state = State.STOPPED;
        }
        stopped.countDown();
        LOG.info("Ergate worker stopped");
        events.workerStopped();
    }

    /**
     * Gives back what the queue leased ahead for a take that will not come now (Redis claims the
     * next job with a step's finish), so it does not wait for its lease to run out.
     */
    private void releaseHeldQuietly() {
        try {
            queue.releaseHeld();
        } catch (RuntimeException e) {
            LOG.warn("Giving back the jobs the queue held for this worker failed; they come back when their leases"
                    + " run out: {}", e.toString());
        }
    }

    private void awaitQuietly() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void joinAll(long deadlineNanos) {
        for (Thread worker : workers) {
            if (worker == Thread.currentThread()) {
                continue; // close() called from a step: don't wait for ourselves
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean stopping() {
        return stopRequested.getCount() == 0;
    }

    // ------------------------------------------------------------------ the worker loop

    private void workLoop(InFlight flight) {
        int failures = 0;
        while (!stopping()) {
            Optional<Delivery> taken;
            try {
                circuit.awaitClosed(this::stopping);
                if (stopping()) {
                    break;
                }
                taken = queue.take(options.pollTimeout());
                failures = 0;
            } catch (InterruptedException e) {
                if (stopping()) {
                    break;
                }
                Thread.interrupted();
                continue;
            } catch (RuntimeException | Error e) {
                failures++;
                Duration wait = backend.backoff(failures);
                boolean isTransient = e instanceof ErgateBackendException be && be.isTransient();
                if (isTransient) {
                    LOG.warn("Taking from the queue failed ({} in a row), retrying in {}: {}", failures, wait, e.toString());
                } else {
                    LOG.error("Taking from the queue failed ({} in a row), retrying in {}", failures, wait, e);
                }
                pause(wait);
                continue;
            }
            if (taken.isEmpty()) {
                continue;
            }
            Delivery delivery = taken.get();
            if (stopping()) {
                releaseOnShutdown(delivery, "the worker is stopping");
                break;
            }
            handle(delivery, flight);
        }
    }

    private void pause(Duration wait) {
        try {
            stopRequested.await(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One delivery, start to end: decide what it comes to, record the start and run the step
     * under its lease, settle the delivery, then tell the listeners what was recorded.
     */
    private void handle(Delivery delivery, InFlight flight) {
        Job job = delivery.job();
        flight.begin(delivery);
        try {
            PreparedStep step = runner.prepare(job);
            if (step.unknownWork() && giveBackUnknown(delivery, flight, step)) {
                return;
            }
            if (step.runs()) {
                step = countStart(step, delivery);
            }
            String poison = poisonReason(step, delivery);
            StepResult result;
            if (poison != null) {
                flight.counted = true;
                result = runner.fail(job, poison);
            } else {
                try {
                    result = startAndRun(step, delivery, flight);
                } catch (StartRefused refused) {
                    flight.counted = true;
                    poison = refused.getMessage();
                    result = runner.fail(job, String.valueOf(poison));
                }
            }
            PausePoints.reached(PausePoints.STEP_ENDED, job.id()); // test-only: off unless a system property names it
            if (!flight.claimFinish(delivery)) {
                LOG.warn("Job {} was cut off by the drain timeout; its delivery was released, its result dropped",
                        job.id());
                return;
            }
            StepResult recorded = poison != null ? deadLetter(delivery, result) : settle(delivery, result, flight);
            PausePoints.reached(PausePoints.FINISHED, job.id());
            runner.notifyFinished(recorded);
        } catch (RuntimeException | Error e) {
            giveBack(delivery, flight, e);
        } finally {
            flight.end(delivery);
        }
    }

    /**
     * A job of a workflow or step this worker does not know (an older worker in a rolling deploy):
     * gives it back with backoff while within {@link ErgateOptions#unknownWorkGrace()} of when it
     * was queued or due. Writes nothing.
     *
     * @return true when it was given back; false when the grace is over (it fails)
     */
    private boolean giveBackUnknown(Delivery delivery, InFlight flight, PreparedStep step) {
        Job job = delivery.job();
        long graceMillis = options.unknownWorkGrace().toMillis();
        Long since = UnknownWork.waitingSince(job);
        long left = since == null ? (delivery.deliveryCount() <= UnknownWork.DELIVERIES_WITHOUT_TIME ? graceMillis : 0)
                : graceMillis - (options.clock().millis() - since);
        if (left <= 0) {
            return false;
        }
        Duration wait = backend.backoff(delivery.deliveryCount());
        if (wait.toMillis() > left) {
            wait = Duration.ofMillis(left);
        }
        LOG.info("Job {} is of a workflow or step not registered here; giving it back for {} (grace left {} ms): {}",
                job.id(), wait, left, step.outcome().errorOrNull() == null ? "" : step.outcome().errorOrNull().getMessage());
        if (flight.claimFinish(delivery)) {
            releaseQuietly(delivery, wait, "unknown workflow or step");
        }
        return true;
    }

    /**
     * Counts this start of the step in its RUNNING state: for a delivery after the first, how many
     * starts the store recorded for the same step and attempt, plus this one.
     */
    private PreparedStep countStart(PreparedStep step, Delivery delivery) {
        if (delivery.deliveryCount() <= 1 || !(store instanceof JobStore jobStore)) {
            return step;
        }
        Job running = step.running();
        JobId id = Objects.requireNonNull(running.id());
        Optional<Job> stored = storeCall("find (start count)", running, () -> jobStore.find(id));
        return step.withRunning(StartCount.with(running, StartCount.recorded(stored, running) + 1));
    }

    /** {@return why the delivery is poison, or null}: its step was started more than maxDeliveries times. */
    private @Nullable String poisonReason(PreparedStep step, Delivery delivery) {
        if (!step.runs()) {
            return null;
        }
        Job job = delivery.job();
        if (store instanceof JobStore) {
            int starts = StartCount.of(step.running());
            if (starts <= options.maxDeliveries()) {
                return null;
            }
            return "job " + job.id() + " of workflow '" + job.workflowName() + "': step '" + step.stepName()
                    + "' was started " + starts + " times, more than the limit of " + options.maxDeliveries()
                    + " (maxDeliveries): workers keep dying or losing its lease on it, so it is given up";
        }
        if (delivery.deliveryCount() <= options.maxDeliveries()) {
            return null;
        }
        return "job " + job.id() + " of workflow '" + job.workflowName() + "' was delivered "
                + delivery.deliveryCount() + " times, more than the limit of " + options.maxDeliveries()
                + " (maxDeliveries): workers keep dying or losing its lease on it, so it is given up";
    }

    /** A store call; a transient failure given up on opens the circuit, a success closes it. */
    private <T> T storeCall(String action, Job job, java.util.function.Supplier<T> call) {
        try {
            T result = backend.call(action, job, call);
            circuit.succeeded();
            return result;
        } catch (BackendCalls.GaveUp e) {
            if (e.getCause() instanceof ErgateBackendException be && be.isTransient()) {
                circuit.failed();
            }
            throw e;
        }
    }

    /** The circuit's probe: a read of the store when it can be read, else a guess that it is back. */
    private boolean probeStore() {
        if (!(store instanceof JobStore jobStore)) {
            return true; // nothing to ask: let the takers try again after the backoff
        }
        try {
            var unused = jobStore.find(JobId.of("ergate-store-probe"));
            return true;
        } catch (RuntimeException e) {
            LOG.debug("The store still fails: {}", e.toString());
            return false;
        }
    }

    /** The store refused the start of a step for good, often enough: the job is given up. */
    private static final class StartRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StartRefused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The outcome decided without running, or: records the RUNNING state and, when the store lets
     * the step start, runs it while its lease is kept. With a readable store and cancellation
     * checks on, the start is the store's {@link JobStore#startStep}, which also reports a pending
     * cancel request or a job that already ended; otherwise a plain update.
     */
    private StepResult startAndRun(PreparedStep step, Delivery delivery, InFlight flight) {
        if (!step.runs()) {
            return step.outcome();
        }
        Job running = step.running();
        flight.mdc.step(running, step.stepName(), step.attempt());
        Duration configuredLease = queue.leaseTime(); // renew by the configured lease, else by what was left at the take
        long leaseNanos = configuredLease != null ? configuredLease.toNanos()
                : LeaseKeeper.remainingNanos(delivery, options.clock());
        PausePoints.reached(PausePoints.BEFORE_START, running.id());
        StepStart start = recordStart(running, delivery);
        if (start != StepStart.STARTED) {
            LOG.info("Job {} is {} in the store; not running its step", running.id(),
                    start == StepStart.CANCEL_REQUESTED ? "to be cancelled"
                            : start == StepStart.STALE ? "further on (a stale delivery, dropped)" : "already final");
            if (start == StepStart.STALE) {
                putLostNextStep(running, delivery);
            }
            return runner.notStarted(step, start);
        }
        flight.counted = true;
        PausePoints.reached(PausePoints.AFTER_START, running.id());
        flight.lease.keep(delivery, leaseNanos);
        try {
            runner.notifyStarted(running);
            return runner.execute(step);
        } finally {
            flight.lease.stop();
        }
    }

    /**
     * Without an atomic finish, a worker that dies between writing a step's new state and putting
     * the next step leaves a QUEUED state further on with no message of it, and the redelivery of
     * the step it finished is stale. So a stale redelivery finding the stored job QUEUED puts it
     * again. If the message did exist, the copy is a duplicate that the fence drops at its start
     * or its finish. Only a redelivery (count above 1) does this, so a copy that turns out stale
     * itself never puts again: no trail of copies.
     */
    private void putLostNextStep(Job stale, Delivery delivery) {
        if (atomicFinish != null || delivery.deliveryCount() < 2 || !(store instanceof JobStore jobStore)) {
            return;
        }
        JobId id = Objects.requireNonNull(stale.id());
        Optional<Job> stored = backend.call("find (stale delivery)", stale, () -> jobStore.find(id));
        if (stored.isPresent() && stored.get().status() == JobStatus.QUEUED) {
            Job queued = stored.get();
            LOG.warn("Job {} is QUEUED at step {} in the store and this redelivery of step {} is stale: its worker"
                    + " may have died before putting the next step, so it is put again", id,
                    queued.stepsCompleted(), stale.stepsCompleted());
            backend.run("put (lost next step)", queued, () -> queue.put(queued));
        }
    }

    /**
     * Records the start, unless the queue recorded this very RUNNING state as it leased the job
     * ({@link JobQueue#startOnTake}: the delivery's started state equals {@code running}). A store
     * that refuses it for good (not a transient failure: the job can't be stored) gives the
     * delivery back, and from the maxDeliveries-th delivery on gives it up ({@link StartRefused}),
     * so such a job can't come back for ever.
     */
    private StepStart recordStart(Job running, Delivery delivery) {
        Job started = delivery.startedState();
        if (started != null && started.equals(running)) {
            return StepStart.STARTED; // the queue recorded this very state as it leased the job
        }
        try {
            if (options.checkCancellation() && store instanceof JobStore jobStore) {
                return storeCall("start of a step", running, () -> jobStore.startStep(running));
            }
            storeCall("state update", running, () -> {
                store.update(running);
                return null;
            });
            return StepStart.STARTED;
        } catch (BackendCalls.GaveUp e) {
            Throwable cause = e.getCause();
            if (cause instanceof StaleStateException) {
                return StepStart.STALE;
            }
            boolean refused = !(cause instanceof ErgateBackendException be && be.isTransient());
            if (refused && delivery.deliveryCount() >= options.maxDeliveries()) {
                throw new StartRefused("job " + running.id() + " of workflow '" + running.workflowName()
                        + "': the store refused to record the start of its step on " + delivery.deliveryCount()
                        + " deliveries (maxDeliveries " + options.maxDeliveries() + "), so it is given up: "
                        + e.getMessage(), e);
            }
            throw e;
        }
    }

    /**
     * Writes a poison job's FAILED state and moves its delivery to the dead-letter place, with the
     * reason; when the FAILED state can't be written (the store refuses the job), it is
     * dead-lettered all the same, the reason saying so.
     */
    private StepResult deadLetter(Delivery delivery, StepResult failedResult) {
        Job failed = Objects.requireNonNull(failedResult.stateOrNull());
        Throwable error = Objects.requireNonNull(failedResult.errorOrNull());
        String why = String.valueOf(error.getMessage());
        try {
            backend.run("state update (poison)", failed, () -> store.update(failed));
        } catch (BackendCalls.GaveUp e) {
            if (e.getCause() instanceof StaleStateException) {
                LOG.info("Job {} moved on in the store; dropping its stale delivery instead of dead-lettering it",
                        failed.id());
                backend.run("ack", failed, delivery::ack);
                return StepResult.skipped();
            }
            LOG.error("Writing the FAILED state of poison job {} failed; dead-lettering it all the same: {}",
                    failed.id(), e.getMessage());
            why = why + " (its FAILED state could not be written: " + e.getMessage() + ")";
        }
        String reason = why;
        backend.run("dead-lettering", failed, () -> delivery.deadLetter(reason));
        events.deliveryDeadLettered(failed, reason);
        return failedResult;
    }

    /**
     * Writes the new state, puts the next step and acknowledges the delivery: with the queue's
     * atomic finish when it offers one, else in that order. A job already final is just
     * acknowledged; one too large to queue again ends FAILED.
     *
     * @return the result as recorded
     */
    private StepResult settle(Delivery delivery, StepResult result, InFlight flight) {
        Job newState = result.stateOrNull();
        if (newState == null) {
            LOG.debug("Job {} is already {}; acknowledging without running", delivery.job().id(), delivery.job().status());
            backend.run("ack", delivery.job(), delivery::ack);
            return result;
        }
        Job next = result.nextOrNull();
        AtomicStepFinish atomic = atomicFinish;
        try {
            if (atomic != null) {
                backend.run("atomic finish", newState, () -> atomic.finish(delivery, newState, next));
            } else {
                if (flight.lease.lost(delivery) || LeaseKeeper.remainingNanos(delivery, options.clock()) <= 0) {
                    // another worker may hold the job now: writing would race it. Give the
                    // delivery back (nothing, if the lease is gone) and let the step run again.
                    LOG.warn("Job {} lost its lease before its finish; not writing its state, the step runs again",
                            newState.id());
                    releaseQuietly(delivery, Duration.ZERO, "lease lost before the finish");
                    return StepResult.skipped();
                }
                writeState(newState);
                PausePoints.reached(PausePoints.AFTER_STATE, newState.id());
                if (next != null) {
                    backend.run("put", next, () -> queue.put(next));
                }
                PausePoints.reached(PausePoints.AFTER_PUT, newState.id());
                backend.run("ack", newState, delivery::ack);
            }
            return result;
        } catch (BackendCalls.GaveUp e) {
            if (e.getCause() instanceof StaleStateException stale) {
                LOG.info("Job {}: {}; dropping this delivery, nothing put", newState.id(), stale.getMessage());
                backend.run("ack", newState, delivery::ack);
                return StepResult.skipped();
            }
            if (e.getCause() instanceof JobTooLargeException tooLarge) {
                return failTooLarge(delivery, result, newState, tooLarge);
            }
            throw e;
        }
    }

    /**
     * The finish's state update. A refusal as stale after a retry may be this worker's own first
     * try having landed (a timeout after the write): then the stored job is this state, and the
     * finish goes on.
     */
    private void writeState(Job newState) {
        try {
            storeCall("state update", newState, () -> {
                store.update(newState);
                return null;
            });
        } catch (BackendCalls.GaveUp e) {
            if (e.getCause() instanceof StaleStateException && store instanceof JobStore jobStore
                    && ownWriteLanded(jobStore, newState)) {
                return;
            }
            throw e;
        }
    }

    private boolean ownWriteLanded(JobStore jobStore, Job written) {
        JobId id = Objects.requireNonNull(written.id());
        Optional<Job> stored = backend.call("find (own write)", written, () -> jobStore.find(id));
        return stored.isPresent() && stored.get().toBuilder().status(written.status()).build().equals(written);
    }

    private StepResult failTooLarge(Delivery delivery, StepResult result, Job state, JobTooLargeException tooLarge) {
        LOG.error("Job {} can't be put back on the queue: {}", state.id(), tooLarge.getMessage());
        Job failed = state.toBuilder().status(JobStatus.FAILED).exceptionTraceback(JobRunner.traceback(tooLarge)).build();
        backend.run("state update (too large)", failed, () -> store.update(failed));
        backend.run("ack", failed, delivery::ack);
        return result.failedAfterRunning(failed, tooLarge);
    }

    /**
     * A backend call was given up on, or something unexpected failed: the delivery goes back to
     * the queue after a backoff, and the worker thread goes on. A delivery whose step never started
     * because a call failed transiently (a store outage) goes back with {@link
     * Delivery#releaseUnstarted}, so that it does not count as a delivery (on SQS, the receive
     * count its redrive policy reads does not climb).
     */
    private void giveBack(Delivery delivery, InFlight flight, Throwable e) {
        boolean gaveUp = e instanceof BackendCalls.GaveUp;
        if (gaveUp) {
            LOG.error("Giving job {} back to the queue: {}", delivery.job().id(), e.getMessage(), e.getCause());
        } else {
            LOG.error("Unexpected failure handling job {}; releasing it", delivery.job().id(), e);
        }
        if (!flight.claimFinish(delivery)) {
            return;
        }
        Duration wait = backend.backoff(gaveUp ? 2 : 1);
        boolean unstarted = gaveUp && !flight.counted && e.getCause() instanceof ErgateBackendException be
                && be.isTransient();
        if (!unstarted) {
            releaseQuietly(delivery, wait, gaveUp ? "backend failure" : "unexpected failure");
            return;
        }
        try {
            delivery.releaseUnstarted(wait);
        } catch (RuntimeException failure) {
            LOG.warn("Releasing job {} (its step never started: backend failure) failed; it comes back when its"
                    + " lease runs out: {}", delivery.job().id(), failure.toString());
        }
    }

    private void releaseOnShutdown(Delivery delivery, String why) {
        releaseQuietly(delivery, Duration.ZERO, why);
        events.jobReleasedOnShutdown(delivery.job());
    }

    private void releaseQuietly(Delivery delivery, Duration delay, String why) {
        try {
            delivery.release(delay);
        } catch (RuntimeException e) {
            LOG.warn("Releasing job {} ({}) failed; it comes back when its lease runs out: {}", delivery.job().id(), why,
                    e.toString());
        }
    }

    /**
     * The delivery one worker thread is working on, if any; whoever claims it first (the worker
     * when the step ends, or the drain cut-off) settles it. One per worker thread, reused for
     * every delivery, so a step costs no allocation here.
     */
    private final class InFlight {
        private final AtomicReference<@Nullable Delivery> current = new AtomicReference<>();
        /** This worker thread's lease slot. */
        final LeaseKeeper.Slot lease;
        /** This worker thread's MDC keys, set from {@link #begin} to {@link #end}. */
        final StepMdc mdc = new StepMdc(Ergate.this.mdc);
        /**
         * Whether the delivery in hand counts toward maxDeliveries: its step started, or it is
         * given up as poison. Only this worker thread reads and writes it.
         */
        boolean counted;
        /** The worker thread; set before it starts. */
        private @Nullable Thread thread;

        InFlight(LeaseKeeper.Slot lease) {
            this.lease = lease;
        }

        void begin(Delivery delivery) {
            mdc.enter(delivery.job());
            counted = false;
            current.set(delivery);
        }

        /** {@return true if the worker settles this delivery: the cut-off did not claim it first} */
        boolean claimFinish(Delivery delivery) {
            return current.compareAndSet(delivery, null);
        }

        /** The worker is done with the delivery, settled or not. */
        void end(Delivery delivery) {
            current.compareAndSet(delivery, null);
            mdc.exit();
        }

        boolean busy() {
            return current.get() != null;
        }

        void cutOff() {
            Delivery delivery = current.get();
            if (delivery != null && current.compareAndSet(delivery, null)) {
                StepMdc closing = new StepMdc(Ergate.this.mdc);
                closing.enter(delivery.job());
                try {
                    LOG.warn("Step of job {} did not finish within the drain timeout; releasing it back to the queue",
                            delivery.job().id());
                    releaseOnShutdown(delivery, "cut off by the drain timeout");
                } finally {
                    closing.exit();
                }
                Thread worker = thread;
                if (worker != null) {
                    worker.interrupt();
                }
            }
        }
    }

    /** Configures an {@link Ergate} worker. Not thread-safe. */
    public static final class Builder {
        private final JobQueue queue;
        private final StateStore store;
        private ErgateOptions options = ErgateOptions.defaults();
        private Dependencies dependencies = Dependencies.none();
        private @Nullable ObjectMapper objectMapper;
        private final List<ErgateListener> listeners = new ArrayList<>();
        private final List<HookRegistration<?>> hooks = new ArrayList<>();
        private final List<StepInterceptor> interceptors = new ArrayList<>();
        private boolean mdc = true;
        private @Nullable Lifespan lifespan;
        private DoubleSupplier random = () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble();
        private dev.ergate.spi.@Nullable JobAdmin retentionAdmin;
        private dev.ergate.spi.RetentionPolicy retentionPolicy = dev.ergate.spi.RetentionPolicy.none();
        private @Nullable ScheduleStore scheduleStore;
        private dev.ergate.runtime.schedule.@Nullable Scheduler scheduler;

        private Builder(JobQueue queue, StateStore store) {
            this.queue = Objects.requireNonNull(queue, "queue");
            this.store = Objects.requireNonNull(store, "store");
        }

        /**
         * @param options how the worker runs
         * @return this builder
         */
        public Builder options(ErgateOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * @param dependencies dependencies shared by all workflows
         * @return this builder
         */
        public Builder dependencies(Dependencies dependencies) {
            this.dependencies = Objects.requireNonNull(dependencies, "dependencies");
            return this;
        }

        /**
         * @param mapper converts JSON values to step parameter types and back; {@code null} for
         *     {@link JobRunner#defaultObjectMapper()}. Never enable default typing on it.
         * @return this builder
         */
        public Builder objectMapper(@Nullable ObjectMapper mapper) {
            this.objectMapper = mapper;
            return this;
        }

        /**
         * @param listener hears step starts and ends (after their state is recorded), job
         *     failures, and the worker's own events
         * @return this builder
         */
        public Builder listener(ErgateListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * @param interceptor wraps every step invocation, on the thread that runs the step (a
         *     step-timeout thread included); several nest, the first registered outermost
         * @return this builder
         */
        public Builder interceptor(StepInterceptor interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * @param on whether to put the job's MDC keys ({@code ergate.job_id}, {@code
         *     ergate.workflow}, {@code ergate.step}, {@code ergate.attempt}) around each delivery and
         *     step; on by default
         * @return this builder
         */
        public Builder mdc(boolean on) {
            this.mdc = on;
            return this;
        }

        /**
         * @param type the exception type (subtypes included)
         * @param hook called when a step throws it, unless a hook for a more specific type matches
         * @param <E> the exception type
         * @return this builder
         */
        public <E extends Throwable> Builder exceptionHook(Class<E> type, ExceptionHook<? super E> hook) {
            hooks.add(new HookRegistration<>(Objects.requireNonNull(type, "type"), Objects.requireNonNull(hook, "hook")));
            return this;
        }

        /**
         * @param lifespan wraps the worker's run
         * @return this builder
         */
        public Builder lifespan(@Nullable Lifespan lifespan) {
            this.lifespan = lifespan;
            return this;
        }

        /**
         * @param random numbers in [0, 1) for retry jitter
         * @return this builder
         */
        public Builder random(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Deletes old final jobs and dead letters while the worker runs, one worker at a time
         * (a {@link RetentionRunner} under the backend's retention lease). Off by default.
         *
         * @param admin the backend's admin ({@code redis.admin()}, {@code pg.admin()}, ...)
         * @param policy what to delete and how often to look; {@link dev.ergate.spi.RetentionPolicy#none()} turns it off
         * @return this builder
         */
        public Builder retention(dev.ergate.spi.JobAdmin admin, dev.ergate.spi.RetentionPolicy policy) {
            this.retentionAdmin = Objects.requireNonNull(admin, "admin");
            this.retentionPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Fires the recurring schedules kept in {@code store} while the worker runs: one {@link
         * dev.ergate.runtime.schedule.Scheduler} thread, submitting to this worker's queue and
         * store. Any number of workers may do it: each tick gives one job. Off by default.
         *
         * @param store the backend's schedule store ({@code redis.schedules()}, {@code pg.schedules()}, ...)
         * @return this builder
         */
        public Builder schedules(ScheduleStore store) {
            this.scheduleStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * @param scheduler a scheduler configured by the caller, started and closed with the
         *     worker; takes precedence over {@link #schedules(ScheduleStore)}
         * @return this builder
         */
        public Builder scheduler(dev.ergate.runtime.schedule.Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** {@return the worker, not started} */
        public Ergate build() {
            return new Ergate(this);
        }
    }

    private record HookRegistration<E extends Throwable>(Class<E> type, ExceptionHook<? super E> hook) {
        void addTo(JobRunner.Builder builder) {
            builder.exceptionHook(type, hook);
        }
    }
}
