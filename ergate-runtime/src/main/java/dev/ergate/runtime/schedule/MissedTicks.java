package dev.ergate.runtime.schedule;

/**
 * What a scheduler does with ticks it missed (no scheduler ran, or the clock jumped forward):
 * ticks older than the scheduler's grace ({@link Scheduler.Builder#grace}) are missed. Immutable.
 *
 * @param catchUp how many of the latest missed ticks still fire: 0 skips them all
 */
public record MissedTicks(int catchUp) {

    /** Checks the count. */
    public MissedTicks {
        if (catchUp < 0) {
            throw new IllegalArgumentException("missed ticks to catch up must not be negative, got " + catchUp);
        }
    }

    /** {@return a policy that drops missed ticks: the schedule goes on with its next tick (the default)} */
    public static MissedTicks skip() {
        return new MissedTicks(0);
    }

    /** {@return a policy that fires the latest missed tick once, however many were missed} */
    public static MissedTicks runOnce() {
        return new MissedTicks(1);
    }

    /**
     * @param max how many of the latest missed ticks fire, oldest first
     * @return the policy
     * @throws IllegalArgumentException if {@code max} is under 1
     */
    public static MissedTicks catchUp(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("missed ticks catchUp(N) needs N >= 1, got " + max
                    + " (use skip() to drop missed ticks)");
        }
        return new MissedTicks(max);
    }

    @Override
    public String toString() {
        return catchUp == 0 ? "skip" : catchUp == 1 ? "run once" : "catch up at most " + catchUp;
    }
}
