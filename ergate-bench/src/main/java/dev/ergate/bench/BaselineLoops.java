package dev.ergate.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Runs a raw baseline's loop on N threads: each thread opens its own client (connection) first,
 * then all start together and do steps until the shared count is used up. Only the steps are
 * timed, not the connecting. Thread-safe; one call runs one baseline.
 */
final class BaselineLoops {

    /** One thread's client: does one baseline step per call. Used by its thread only. */
    interface Looper extends AutoCloseable {
        void step() throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    /** Opens thread {@code index}'s client. */
    @FunctionalInterface
    interface LooperFactory {
        Looper open(int index) throws Exception;
    }

    private BaselineLoops() {
    }

    /**
     * @return the wall-clock nanoseconds from the common start to the last thread's end
     * @throws Exception the first failure of any thread
     */
    static long run(String name, int threads, long steps, LooperFactory factory) throws Exception {
        AtomicLong remaining = new AtomicLong(steps);
        AtomicReference<@Nullable Exception> failure = new AtomicReference<>();
        AtomicLong startNanos = new AtomicLong();
        CyclicBarrier start = new CyclicBarrier(threads, () -> startNanos.set(System.nanoTime()));
        List<Thread> loops = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int index = i;
            Thread thread = new Thread(() -> {
                try (Looper looper = factory.open(index)) {
                    start.await();
                    while (remaining.getAndDecrement() > 0 && failure.get() == null) {
                        looper.step();
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                    start.reset();
                }
            }, "baseline-" + name + "-" + i);
            loops.add(thread);
            thread.start();
        }
        for (Thread thread : loops) {
            thread.join();
        }
        long end = System.nanoTime();
        Exception e = failure.get();
        if (e != null) {
            throw e;
        }
        return end - startNanos.get();
    }
}
