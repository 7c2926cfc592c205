package dev.ergate.spi;

import java.util.List;

/**
 * What a dead-letter requeue did.
 *
 * @param requeued the ids of the dead letters put back on their queue (and removed)
 * @param kept the dead letters that stay, each with the reason it could not be requeued
 */
public record RequeueResult(List<String> requeued, List<Kept> kept) {

    /** Copies the lists. */
    public RequeueResult {
        requeued = List.copyOf(requeued);
        kept = List.copyOf(kept);
    }

    /**
     * A dead letter that was not requeued.
     *
     * @param id its {@link DeadLetter#id()}
     * @param reason why (for example: its body is still not a job)
     */
    public record Kept(String id, String reason) {
    }
}
