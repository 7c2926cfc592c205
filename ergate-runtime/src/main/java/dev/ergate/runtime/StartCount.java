package dev.ergate.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.JobStatus;
import dev.ergate.RuntimeFields;
import dev.ergate.spi.WriteFence;
import java.util.Optional;

/**
 * How many times a step was started, kept in its RUNNING state ({@value RuntimeFields#STARTS}):
 * what counts toward {@code maxDeliveries}. A delivery given back before its step started (a store
 * outage, an unknown workflow) is not a start. Stateless.
 */
final class StartCount {

    private StartCount() {
    }

    /** {@return the starts the stored job records for the same step and attempt as {@code running}; 0 if none} */
    static int recorded(Optional<Job> stored, Job running) {
        if (stored.isEmpty()) {
            return 0;
        }
        Job job = stored.get();
        boolean started = job.status() == JobStatus.RUNNING || job.status() == JobStatus.CANCELLING;
        if (!started || job.stepsCompleted() != running.stepsCompleted()
                || WriteFence.attemptOf(job) != WriteFence.attemptOf(running)) {
            return 0;
        }
        return of(job);
    }

    /** {@return the starts a RUNNING state holds: its field, or 1} */
    static int of(Job running) {
        JsonNode starts = running.extraField(RuntimeFields.STARTS);
        return starts != null && starts.canConvertToInt() && starts.intValue() >= 1 ? starts.intValue() : 1;
    }

    /** {@return {@code running} recording {@code starts} starts} */
    static Job with(Job running, int starts) {
        return running.toBuilder().extraField(RuntimeFields.STARTS, starts <= 1 ? null : IntNode.valueOf(starts)).build();
    }
}
