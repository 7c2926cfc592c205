package dev.ergate.runtime;

import dev.ergate.ErgateException;
import dev.ergate.Job;
import dev.ergate.spi.ErgateBackendException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls to the queue and store, retried with exponential backoff and jitter on transient failures. Thread-safe. */
final class BackendCalls {

    private static final Logger LOG = LoggerFactory.getLogger(BackendCalls.class);

    /** A backend call that was given up on; the delivery should go back to the queue. */
    static final class GaveUp extends ErgateException {
        private static final long serialVersionUID = 1L;

        GaveUp(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final ErgateOptions options;
    private final ErgateListener events;

    /**
     * @param options the retry settings
     * @param events told of each retry ({@code backendRetried}) and each call given up on ({@code
     *     backendGaveUp}), the action as the operation
     */
    BackendCalls(ErgateOptions options, ErgateListener events) {
        this.options = options;
        this.events = events;
    }

    /** {@return the wait after {@code failures} failures in a row (1 for the first)} */
    Duration backoff(int failures) {
        return Backoff.delay(options.backendRetryInitialDelay(), 2.0, options.backendRetryMaxDelay(), 0.5,
                Math.max(0, failures - 1), ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param action what the call does, for messages: "ack", "state update"...
     * @param job the job it is for; named, with its status, in messages
     * @throws GaveUp when the call failed for good (not transient, attempts spent, or interrupted)
     */
    void run(String action, Job job, Runnable call) {
        call(action, job, () -> {
            call.run();
            return null;
        });
    }

    /**
     * As {@link #run}, returning the call's result. The message naming the call is only built when
     * it fails: this runs several times per step.
     *
     * @throws GaveUp when the call failed for good (not transient, attempts spent, or interrupted)
     */
    <T> T call(String action, Job job, Supplier<T> call) {
        int failures = 0;
        while (true) {
            try {
                return call.get();
            } catch (ErgateBackendException e) {
                failures++;
                String what = describe(action, job);
                if (!e.isTransient() || failures >= options.backendRetryAttempts()) {
                    events.backendGaveUp(action, e);
                    throw new GaveUp(what + " failed" + (e.isTransient() ? " " + failures + " times" : "")
                            + ": " + e.getMessage(), e);
                }
                events.backendRetried(action, failures, e);
                Duration wait = backoff(failures);
                LOG.warn("{} failed (transient, attempt {} of {}), retrying in {}: {}", what, failures,
                        options.backendRetryAttempts(), wait, e.getMessage());
                try {
                    Thread.sleep(Math.max(1, wait.toMillis()));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    events.backendGaveUp(action, e);
                    throw new GaveUp(what + " interrupted while waiting to retry", e);
                }
            } catch (GaveUp e) {
                throw e;
            } catch (RuntimeException e) {
                events.backendGaveUp(action, e);
                throw new GaveUp(describe(action, job) + " failed: " + e, e);
            }
        }
    }

    private static String describe(String action, Job job) {
        return action + " of job " + job.id() + " (" + job.status() + ")";
    }
}
