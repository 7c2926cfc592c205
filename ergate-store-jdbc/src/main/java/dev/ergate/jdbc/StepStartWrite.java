package dev.ergate.jdbc;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.spi.StepStart;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One worker's {@link JdbcJobStore#startStep}, waiting to be written together with other
 * workers' starts: the job's RUNNING state, and once settled, what the start found.
 *
 * <p>Thread-safe, as every {@link PendingWrite}.
 */
final class StepStartWrite extends PendingWrite {

    private final Job running;
    private volatile @Nullable StepStart result;

    /** @param running the job's RUNNING state, with an id */
    StepStartWrite(Job running) {
        this.running = running;
        Objects.requireNonNull(running.id(), "running.id");
    }

    Job running() {
        return running;
    }

    @Override
    JobId jobId() {
        return Objects.requireNonNull(running.id());
    }

    /** Settles it: the RUNNING state was written ({@link StepStart#STARTED}), or what stopped it. */
    void succeed(StepStart start) {
        result = start;
        settle();
    }

    /** @return what the start found; throws what made it fail if it failed */
    StepStart result() {
        outcome();
        return Objects.requireNonNull(result);
    }
}
