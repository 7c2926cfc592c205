package dev.ergate.runtime;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.internal.DaemonThreads;
import dev.ergate.spi.FinalStateNotifier;
import dev.ergate.spi.JobStore;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Completes futures when jobs become final, for {@link ErgateClient#await}: every waiter of the
 * JVM is a task on one shared daemon thread that polls the store with backoff, and a store that
 * is a {@link FinalStateNotifier} wakes waiters at once (polling then only backs it up).
 */
final class JobAwaiter {

    /** First re-poll after the immediate one; doubles up to the cap. */
    static final long FIRST_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** Cap when polling is the only way to learn of a final state. */
    static final long MAX_POLL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Cap when the store notifies: polling only covers a lost notification. */
    static final long MAX_POLL_NANOS_NOTIFIED = TimeUnit.SECONDS.toNanos(5);

    /** One thread for all waiters of all clients: a waiting future costs a queued task, not a thread. */
    private static final class Shared {
        static final ScheduledThreadPoolExecutor SCHEDULER = newScheduler();

        private static ScheduledThreadPoolExecutor newScheduler() {
            ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
                    task -> DaemonThreads.newThread("ergate-await", task));
            scheduler.setRemoveOnCancelPolicy(true);
            return scheduler;
        }
    }

    private final JobStore store;
    private final @Nullable FinalStateNotifier notifier;
    private final ConcurrentHashMap<JobId, Set<Waiter>> waiting = new ConcurrentHashMap<>();
    private volatile boolean subscribed;

    JobAwaiter(JobStore store, @Nullable FinalStateNotifier notifier) {
        this.store = store;
        this.notifier = notifier != null ? notifier : store instanceof FinalStateNotifier n ? n : null;
    }

    CompletableFuture<Job> await(JobId id, Duration timeout) {
        Objects.requireNonNull(id, "id");
        checkTimeout(timeout);
        Waiter waiter = new Waiter(id, System.nanoTime() + saturatedNanos(timeout), timeout);
        if (notifier != null) {
            subscribeOnce(notifier);
            waiting.computeIfAbsent(id, key -> ConcurrentHashMap.newKeySet()).add(waiter);
            waiter.future.whenComplete((job, error) -> forget(waiter));
        }
        // the first look is immediate: the job may be final already, before any notification
        Shared.SCHEDULER.execute(() -> poll(waiter));
        return waiter.future;
    }

    static void checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("await timeout must not be negative, got " + timeout);
        }
    }

    private void subscribeOnce(FinalStateNotifier source) {
        if (subscribed) {
            return;
        }
        synchronized (this) {
            if (!subscribed) {
                // the subscription lives as long as the client: clients are long-lived and have no close
                source.onFinalState(waiting::containsKey, this::finalState);
                subscribed = true;
            }
        }
    }

    /** Called on the store's writing thread: hands the completion to the await thread at once. */
    private void finalState(Job job) {
        JobId id = job.id();
        if (id == null || !waiting.containsKey(id)) {
            return;
        }
        Shared.SCHEDULER.execute(() -> {
            Set<Waiter> waiters = waiting.get(id);
            if (waiters != null) {
                for (Waiter waiter : waiters) {
                    waiter.future.complete(job);
                }
            }
        });
    }

    private void forget(Waiter waiter) {
        waiting.computeIfPresent(waiter.id, (id, set) -> {
            set.remove(waiter);
            return set.isEmpty() ? null : set;
        });
    }

    private void poll(Waiter waiter) {
        if (waiter.future.isDone()) {
            return;
        }
        try {
            Optional<Job> job = store.find(waiter.id);
            waiter.lastStatus = job.map(j -> j.status().name()).orElse("never recorded");
            if (job.isPresent() && job.get().status().isFinal()) {
                waiter.future.complete(job.get());
                return;
            }
        } catch (RuntimeException e) {
            // a backend hiccup: keep polling until the deadline, and say so if it comes
            waiter.lastError = e;
        }
        long remaining = waiter.deadline - System.nanoTime();
        if (remaining <= 0) {
            TimeoutException timeout = new TimeoutException("job " + waiter.id + " not final after " + waiter.timeout
                    + " (last seen: " + waiter.lastStatus + ")");
            if (waiter.lastError != null) {
                timeout.initCause(waiter.lastError);
            }
            waiter.future.completeExceptionally(timeout);
            return;
        }
        long cap = notifier == null ? MAX_POLL_NANOS : MAX_POLL_NANOS_NOTIFIED;
        long delay = Math.min(waiter.nextDelay, remaining);
        waiter.nextDelay = Math.min(waiter.nextDelay * 2, cap);
        Shared.SCHEDULER.schedule(() -> poll(waiter), delay, TimeUnit.NANOSECONDS);
    }

    private static long saturatedNanos(Duration timeout) {
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 4;
        }
    }

    /** One waiting future; its fields other than the future are only touched on the await thread. */
    private static final class Waiter {
        final JobId id;
        final long deadline;
        final Duration timeout;
        final CompletableFuture<Job> future = new CompletableFuture<>();
        long nextDelay = FIRST_POLL_NANOS;
        String lastStatus = "not looked up yet";
        @Nullable RuntimeException lastError;

        Waiter(JobId id, long deadline, Duration timeout) {
            this.id = id;
            this.deadline = deadline;
            this.timeout = timeout;
        }
    }
}
