package dev.ergate.runtime;

import dev.ergate.Job;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every registered {@link ErgateListener}, in registration order; a listener that throws is
 * logged and ignored. Loops over an array with no lambda, so an event costs no allocation.
 */
final class ListenerGroup implements ErgateListener {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerGroup.class);

    private final ErgateListener[] listeners;

    ListenerGroup(List<ErgateListener> listeners) {
        this.listeners = listeners.toArray(new ErgateListener[0]);
    }

    private static void ignored(String event, Throwable e) {
        LOG.warn("A listener ({}) threw; ignored", event, e);
    }

    @Override
    public void stepStarted(Job running) {
        for (ErgateListener listener : listeners) {
            try {
                listener.stepStarted(running);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                ignored("stepStarted", e);
            }
        }
    }

    @Override
    public void stepFinished(StepResult result) {
        for (ErgateListener listener : listeners) {
            try {
                listener.stepFinished(result);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                ignored("stepFinished", e);
            }
        }
    }

    @Override
    public void jobFailed(Job failed, Throwable error) {
        for (ErgateListener listener : listeners) {
            try {
                listener.jobFailed(failed, error);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                ignored("jobFailed", e);
            }
        }
    }

    @Override
    public void workerStarted() {
        for (ErgateListener listener : listeners) {
            try {
                listener.workerStarted();
            } catch (RuntimeException | LinkageError | AssertionError e) {
                ignored("workerStarted", e);
            }
        }
    }

    @Override
    public void workerStopped() {
        for (ErgateListener listener : listeners) {
            try {
                listener.workerStopped();
            } catch (RuntimeException | LinkageError | AssertionError e) {
                ignored("workerStopped", e);
            }
        }
    }

    @Override
    public void backendRetried(String operation, int attempt, Throwable error) {
        for (ErgateListener listener : listeners) {
            try {
                listener.backendRetried(operation, attempt, error);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                ignored("backendRetried", e);
            }
        }
    }

    @Override
    public void backendGaveUp(String operation, Throwable error) {
        for (ErgateListener listener : listeners) {
            try {
                listener.backendGaveUp(operation, error);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                ignored("backendGaveUp", e);
            }
        }
    }

    @Override
    public void leaseLost(Job job) {
        for (ErgateListener listener : listeners) {
            try {
                listener.leaseLost(job);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                ignored("leaseLost", e);
            }
        }
    }

    @Override
    public void deliveryDeadLettered(@Nullable Job job, String reason) {
        for (ErgateListener listener : listeners) {
            try {
                listener.deliveryDeadLettered(job, reason);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                ignored("deliveryDeadLettered", e);
            }
        }
    }

    @Override
    public void jobReleasedOnShutdown(Job job) {
        for (ErgateListener listener : listeners) {
            try {
                listener.jobReleasedOnShutdown(job);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                ignored("jobReleasedOnShutdown", e);
            }
        }
    }
}
