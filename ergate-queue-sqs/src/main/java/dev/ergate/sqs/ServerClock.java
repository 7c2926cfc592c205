package dev.ergate.sqs;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * SQS's clock, as this worker can tell it: the worker's clock plus an offset learned from the
 * messages SQS hands out. A message received for the first time carries SQS's time of that very
 * receive ({@code ApproximateFirstReceiveTimestamp}), which is no later than the response's
 * arrival here: so {@code that time - the arrival by the worker's clock} is never more than the
 * true offset, and start times compared with {@link #now()} are never judged due early, nor late
 * by more than a receive's response time, whatever the worker's clock says (issue 14, item 4).
 * Until a first receive was seen the offset is 0 (the worker's clock). Each receive with a first
 * receive in it sets the offset again, so a worker clock that jumps is followed. Thread-safe.
 */
final class ServerClock {

    private static final Logger LOG = LoggerFactory.getLogger(ServerClock.class);
    /** An offset above this is logged (once): the worker's clock is off. */
    static final long WARN_MILLIS = 5_000;

    private final Clock local;
    private volatile long offsetMillis;
    private final AtomicBoolean warned = new AtomicBoolean();

    ServerClock(Clock local) {
        this.local = local;
    }

    /** {@return SQS's time now, as well as this worker can tell: never ahead of it} */
    Instant now() {
        return local.instant().plusMillis(offsetMillis);
    }

    /** {@return SQS's clock less the worker's, in milliseconds (0 until a first receive was seen)} */
    long offsetMillis() {
        return offsetMillis;
    }

    /**
     * Learns the offset from a receive's messages.
     *
     * @param messages what one ReceiveMessage returned
     * @param arrivedAt when its response arrived, by the worker's clock
     */
    void observe(List<Message> messages, Instant arrivedAt) {
        long best = Long.MIN_VALUE;
        for (Message message : messages) {
            if (Inbound.receiveCount(message) != 1) {
                continue; // its first receive was earlier: no reading of SQS's clock now
            }
            String first = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP);
            if (first == null) {
                continue;
            }
            try {
                best = Math.max(best, Long.parseLong(first.trim()) - arrivedAt.toEpochMilli());
            } catch (NumberFormatException e) {
                // not SQS's: ignore it
            }
        }
        if (best == Long.MIN_VALUE) {
            return;
        }
        offsetMillis = best;
        if (Math.abs(best) > WARN_MILLIS && warned.compareAndSet(false, true)) {
            LOG.warn("this worker's clock is about {} s {} SQS's; start times on this queue are compared with SQS's"
                    + " clock (the queue's Clock is used for lease times only)", Math.abs(best) / 1000,
                    best > 0 ? "behind" : "ahead of");
        }
    }
}
