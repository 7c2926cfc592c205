package dev.ergate.bench;

/**
 * What a raw baseline measured. Immutable and thread-safe.
 *
 * @param description the operations of one baseline step
 * @param steps baseline steps done
 * @param nanos how long they took, wall clock
 */
public record BaselineResult(String description, long steps, long nanos) {

    /** {@return baseline steps per second} */
    public double stepsPerSecond() {
        return nanos <= 0 ? 0 : steps * 1e9 / nanos;
    }
}
