package dev.ergate.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/** Describes the machine a run measured on, and the heap in use. Stateless and thread-safe. */
final class Machine {

    private Machine() {
    }

    /** {@return cores, Java, OS and the load average now} */
    static String describe() {
        return Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                + " (" + System.getProperty("java.vm.name") + "), " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                + " MiB";
    }

    /** {@return the 1-minute load average, as "12.85", or "n/a"} */
    static String loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", load);
    }

    /**
     * @return bytes allocated so far by all live threads, or -1 when the JVM can't tell (threads
     *     that ended are not counted)
     */
    static long allocatedBytesOfLiveThreads() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!(threads instanceof com.sun.management.ThreadMXBean hotspot) || !hotspot.isThreadAllocatedMemorySupported()
                || !hotspot.isThreadAllocatedMemoryEnabled()) {
            return -1;
        }
        long total = 0;
        for (long bytes : hotspot.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            if (bytes > 0) {
                total += bytes;
            }
        }
        return total;
    }

    /**
     * @return CPU time used so far by this JVM, all threads (workers, GC, JIT, harness), in
     *     nanoseconds, or -1 when the JVM can't tell
     */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** {@return heap bytes in use after asking for a full GC (twice, so finalizable garbage goes too)} */
    static long heapUsedAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
