package dev.ergate.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Test-only pause points in the worker, so the fault suite can SIGKILL a worker JVM inside a
 * chosen window of a delivery (after the store recorded a step's start, between a step's end and
 * its finish, between a put and an ack...) instead of hoping a random kill lands there.
 *
 * <p>Off unless the system property {@value #PROPERTY} names points (comma-separated, e.g.
 * {@code -Dergate.internal.pausePoints=finish.afterPut}): {@link #reached} then costs one read of a
 * static final field, which the JIT folds away. When a thread reaches a named point the first time
 * in this JVM, the {@link Handler} runs on it; the default one prints
 * {@code ERGATE-PAUSED <point> <job id>} to standard error and parks the thread for good (the
 * test then kills the JVM). Later arrivals at the same point pass. Thread-safe.
 */
public final class PausePoints {

    /** The system property naming the points to pause at. */
    public static final String PROPERTY = "ergate.internal.pausePoints";

    /** Delivery taken, before the store is asked to start the step. */
    public static final String BEFORE_START = "startStep.before";
    /** The store recorded the step's start (RUNNING); the step has not run yet. */
    public static final String AFTER_START = "startStep.after";
    /** The step returned; nothing of its result is written yet. */
    public static final String STEP_ENDED = "step.ended";
    /** Finish without an atomic step finish: new state written, next step not put yet. */
    public static final String AFTER_STATE = "finish.afterState";
    /** Finish without an atomic step finish: next step put, delivery not acknowledged yet. */
    public static final String AFTER_PUT = "finish.afterPut";
    /** The finish (atomic, or state + put + ack) is done; listeners not told yet. */
    public static final String FINISHED = "finish.done";

    /** What a paused thread does. */
    @FunctionalInterface
    public interface Handler {
        /**
         * Called on the thread that reached {@code point} first.
         *
         * @param point the point's name
         * @param jobId the job being handled there, if known
         */
        void paused(String point, @Nullable Object jobId);
    }

    private static final @Nullable Set<String> POINTS = parse(System.getProperty(PROPERTY));
    private static final Set<String> REACHED = ConcurrentHashMap.newKeySet();
    private static volatile Handler handler = PausePoints::parkForGood;

    private PausePoints() {
    }

    /**
     * Marks that the calling thread is at {@code point}; pauses it there when the point is named
     * by {@value #PROPERTY} and reached for the first time.
     *
     * @param point one of this class's point names
     * @param jobId the job handled there
     */
    public static void reached(String point, @Nullable Object jobId) {
        if (POINTS != null) {
            pause(point, jobId);
        }
    }

    /** Replaces the default handler (a fault-suite worker writes the pause into its own log first). */
    public static void handler(Handler paused) {
        handler = paused;
    }

    /** {@return true when {@value #PROPERTY} named at least one point at class initialisation} */
    public static boolean enabled() {
        return POINTS != null;
    }

    private static void pause(String point, @Nullable Object jobId) {
        Set<String> points = POINTS;
        if (points != null && points.contains(point) && REACHED.add(point)) {
            handler.paused(point, jobId);
        }
    }

    private static void parkForGood(String point, @Nullable Object jobId) {
        System.err.println("ERGATE-PAUSED " + point + " " + jobId);
        while (true) {
            LockSupport.park(PausePoints.class); // interrupts are ignored: only a kill ends this
        }
    }

    private static @Nullable Set<String> parse(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Set<String> points = ConcurrentHashMap.newKeySet();
        for (String point : value.split(",")) {
            if (!point.isBlank()) {
                points.add(point.trim());
            }
        }
        return points.isEmpty() ? null : Set.copyOf(points);
    }
}
