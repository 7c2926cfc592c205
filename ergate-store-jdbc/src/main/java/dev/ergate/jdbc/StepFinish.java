package dev.ergate.jdbc;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.spi.LeaseLostException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One worker's atomic step finish waiting to be written: the delivery to end, the job's new
 * state, and the next step's message if there is one. The worker's thread waits in the queue's
 * {@link dev.ergate.internal.Batcher} until the transaction that holds it has committed (or
 * failed). Immutable.
 */
final class StepFinish {

    private final JdbcDelivery delivery;
    private final Job state;
    private final @Nullable Job next;
    private final byte @Nullable [] payload;

    /**
     * @param delivery the delivery the step ran for
     * @param state the job's new state; it has an id
     * @param next the job to put for its next step, or {@code null}
     * @param payload {@code next} as the queue stores it, or {@code null} when there is no next
     */
    StepFinish(JdbcDelivery delivery, Job state, @Nullable Job next, byte @Nullable [] payload) {
        this.delivery = delivery;
        this.state = state;
        this.next = next;
        this.payload = payload;
        Objects.requireNonNull(state.id(), "state.id");
    }

    JdbcDelivery delivery() {
        return delivery;
    }

    Job state() {
        return state;
    }

    JobId jobId() {
        return Objects.requireNonNull(state.id());
    }

    @Nullable Job next() {
        return next;
    }

    byte @Nullable [] payload() {
        return payload;
    }

    /** Written and committed: the delivery ended with it. */
    void succeeded() {
        delivery.finished();
    }

    /** {@return the failure of a finish whose lease was gone: nothing was written, the other worker's run counts} */
    LeaseLostException leaseLost() {
        return new LeaseLostException("PostgreSQL: the lease on job " + state.id() + " (message "
                + delivery.messageId() + ", queue '" + delivery.queue().name() + "') was lost before the "
                + "step finished: another worker took it after the lease ran out; this run's result "
                + "was not written", null);
    }
}
