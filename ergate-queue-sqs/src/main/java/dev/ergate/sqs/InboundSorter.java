package dev.ergate.sqs;

import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.internal.UndecodableMessages;
import dev.ergate.spi.ErgateBackendException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Looks at each received message before any taker sees it: one over {@code maxJobBytes} goes to
 * the dead letters ({@link DeadLetters}) without being decoded, so does an undecodable one, one that is not due yet is deferred ({@link Deferrals}),
 * and the rest become {@link Inbound}s. A failure while dead-lettering or deferring is logged:
 * the message then comes back after its lease and is looked at again. Thread-safe.
 */
final class InboundSorter {

    private static final Logger LOG = LoggerFactory.getLogger(InboundSorter.class);

    private final JobCodec codec;
    private final long maxJobBytes;
    private final DeadLetters deadLetters;
    private final Deferrals deferrals;
    private final Clock clock;
    private final ServerClock server;

    /**
     * @param clock the worker's clock
     * @param server SQS's clock, which decides whether a job is due; learns from each receive
     */
    InboundSorter(JobCodec codec, long maxJobBytes, DeadLetters deadLetters, Deferrals deferrals, Clock clock,
            ServerClock server) {
        this.codec = codec;
        this.maxJobBytes = maxJobBytes;
        this.deadLetters = deadLetters;
        this.deferrals = deferrals;
        this.clock = clock;
        this.server = server;
    }

    /**
     * @param receivedAt when the receive call was sent
     * @param leaseStart when the messages' visibility timeout started, as well as we can tell
     * @param arrivedNanos when the response arrived, on {@link System#nanoTime()}
     */
    List<Inbound> sort(List<Message> messages, Instant receivedAt, Instant leaseStart, long arrivedNanos) {
        server.observe(messages, clock.instant()); // read after the arrival: the offset learned is never too large
        List<Inbound> due = new ArrayList<>(messages.size());
        for (Message message : messages) {
            Inbound inbound = sortOne(message, receivedAt, leaseStart, arrivedNanos);
            if (inbound != null) {
                due.add(inbound);
            }
        }
        return due;
    }

    private @Nullable Inbound sortOne(Message message, Instant receivedAt, Instant leaseStart, long arrivedNanos) {
        String body = message.body() == null ? "" : message.body();
        long bytes = MessageAttributes.utf8(body);
        if (bytes > maxJobBytes) {
            // a foreign producer's, or one with a larger limit: never parsed, so never a memory risk
            deadLetter(message, receivedAt, "job of " + bytes + " bytes is over this queue's maxJobBytes of "
                    + maxJobBytes + "; not decoded");
            return null;
        }
        Job job = UndecodableMessages.decodeOrDeadLetter(codec, body,
                reason -> deadLetter(message, receivedAt, reason));
        if (job == null) {
            return null;
        }
        Instant marked = MessageAttributes.notBefore(message);
        Instant notBefore = later(marked, job.requestedStartTime());
        if (notBefore != null && notBefore.isAfter(server.now())) { // SQS's clock decides, not this worker's
            try {
                deferrals.defer(message, notBefore, receivedAt);
            } catch (ErgateBackendException failure) {
                LOG.warn("could not defer message {} of job {} until {}; it comes back after its lease: {}",
                        message.messageId(), job.id(), notBefore, failure.getMessage());
            }
            return null;
        }
        int receives = Inbound.receiveCount(message);
        // a copy given back before its step started carries the deliveries that counted before it
        int deliveryCount = MessageAttributes.deliveries(message)
                + (marked != null ? Math.max(1, receives - 1) : receives);
        return new Inbound(message, job, receivedAt, leaseStart, arrivedNanos, deliveryCount);
    }

    private void deadLetter(Message message, Instant receivedAt, String reason) {
        try {
            deadLetters.route(message, reason, receivedAt); // logs it
        } catch (ErgateBackendException failure) {
            LOG.warn("could not dead-letter message {} ({}); it comes back after its lease: {}",
                    message.messageId(), reason, failure.getMessage());
        }
    }

    private static @Nullable Instant later(@Nullable Instant a, @Nullable Instant b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.isAfter(b) ? a : b;
    }
}
