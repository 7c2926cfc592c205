package dev.ergate.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Background threads of the backends: daemons, so they never keep a JVM alive, with names that say whose. */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** {@return a new, unstarted daemon thread called {@code name} running {@code task}} */
    public static Thread newThread(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * @param prefix the threads' name, followed by a number from 1
     * @return a factory of daemon threads named {@code prefix-1}, {@code prefix-2}, ...
     */
    public static ThreadFactory factory(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> newThread(prefix + "-" + count.incrementAndGet(), task);
    }
}
