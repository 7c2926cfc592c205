package dev.ergate.examples;

import java.time.Duration;

/**
 * How long a call to one of the pretend services takes, so the demo's progress can be watched.
 *
 * <p>Thread-safe.
 *
 * @param perCall the pause of each call; zero for none
 */
record Latency(Duration perCall) {

    /** Pauses the calling step, as a network call would. */
    void pause() throws InterruptedException {
        if (!perCall.isZero()) {
            Thread.sleep(perCall.toMillis());
        }
    }
}
