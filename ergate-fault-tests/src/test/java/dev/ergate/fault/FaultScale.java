package dev.ergate.fault;

import java.util.Locale;

/**
 * How big a fault run is: {@link #SHORT} inside {@code ./mvnw verify} (CI), {@link #LONG} with
 * {@code -Pfault-long} (the figures in RELIABILITY.md). Chosen by the system property
 * {@value #PROPERTY}. Immutable.
 *
 * @param name short or long
 * @param stormJobs jobs in the SIGKILL storm
 * @param stormKills SIGKILLs injected during the storm
 * @param stormStepMillis how long each step of the storm works
 * @param hostileGoodJobs good jobs interleaved with the hostile messages
 * @param restartJobs jobs in a backend restart run
 * @param restarts backend restarts (or connection purges) in one run
 * @param termJobs jobs in the SIGTERM run
 * @param terms SIGTERMs in that run
 * @param deployJobs jobs of each workflow in the rolling deploy (the old one's and the new one's)
 * @param cancels jobs cancelled during a run (one cancel each)
 * @param skewJobs jobs run by the workers with skewed clocks
 */
record FaultScale(String name, int stormJobs, int stormKills, long stormStepMillis, int hostileGoodJobs,
        int restartJobs, int restarts, int termJobs, int terms, int deployJobs, int cancels, int skewJobs) {

    static final String PROPERTY = "ergate.fault.scale";

    static final FaultScale SHORT = new FaultScale("short", 300, 6, 40, 50, 100, 1, 60, 2, 12, 300, 8);
    static final FaultScale LONG = new FaultScale("long", 2_000, 25, 40, 500, 1_000, 3, 600, 6, 300, 2_000, 40);

    /** {@return how long the job-state store is down while SQS stays up: 25 s, 3 minutes in the long run} */
    int storeOutageSeconds() {
        return name.equals("long") ? 180 : 25;
    }

    /** @return the scale the system property names (short when unset) */
    static FaultScale current() {
        String value = System.getProperty(PROPERTY, "short").trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "", "short" -> SHORT;
            case "long" -> LONG;
            default -> throw new IllegalArgumentException(PROPERTY + " must be short or long, not '" + value + "'");
        };
    }
}
