package dev.ergate.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ergate.Job;
import dev.ergate.RuntimeFields;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * When a job of an unknown workflow or step started waiting, for the worker's grace
 * ({@link ErgateOptions#unknownWorkGrace()}). Stateless.
 */
final class UnknownWork {

    /**
     * A job that holds no time at all (a foreign producer's) is given back for this many
     * deliveries before it fails.
     */
    static final int DELIVERIES_WITHOUT_TIME = 10;

    private UnknownWork() {
    }

    /** {@return the later of when the job was queued and its start time, in epoch ms; null when it holds neither} */
    static @Nullable Long waitingSince(Job job) {
        Long since = null;
        JsonNode queuedAt = job.extraField(RuntimeFields.QUEUED_AT);
        if (queuedAt != null && queuedAt.canConvertToLong()) {
            since = queuedAt.longValue();
        }
        Instant start = job.requestedStartTime();
        if (start != null) {
            since = since == null ? start.toEpochMilli() : Math.max(since, start.toEpochMilli());
        }
        return since;
    }
}
