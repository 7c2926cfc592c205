package dev.ergate.sqs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Keeps a message away from workers until a time further off than SQS's own delays reach
 * ({@code DelaySeconds} stops at 15 minutes, and FIFO queues have no per-message delay at all).
 *
 * <p>A message received before its time is hidden with ChangeMessageVisibility (up to the
 * 12-hour ceiling) the first time it is received; a message received early again (its receive
 * count is above 1) is replaced by a fresh copy carrying {@value MessageAttributes#NOT_BEFORE},
 * which restarts both the receive count (so the redrive policy's {@code maxReceiveCount} is never
 * spent on waiting) and the 12-hour ceiling. So no message is ever handed out early, and a
 * deferred message costs at most one extra receive per copy. Thread-safe.
 */
final class Deferrals {

    /** SQS's longest DelaySeconds: 15 minutes. */
    static final int MAX_DELAY_SECONDS = 900;
    /** Kept off SQS's 12-hour ceiling, for clock differences between us and SQS. */
    static final Duration CEILING_MARGIN = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(Deferrals.class);

    private final SqsOperations ops;
    private final boolean fifo;
    private final Clock clock;
    private final ServerClock server;

    /**
     * @param clock the worker's clock: for the 12-hour ceiling, counted from a receive by it
     * @param server SQS's clock: start times are compared with it
     */
    Deferrals(SqsOperations ops, boolean fifo, Clock clock, ServerClock server) {
        this.ops = ops;
        this.fifo = fifo;
        this.clock = clock;
        this.server = server;
    }

    /** {@return whole seconds from {@code now} to {@code time}, rounded up (never early)} */
    static long secondsUntil(Instant now, Instant time) {
        long millis = Duration.between(now, time).toMillis();
        return millis <= 0 ? 0 : (millis + 999) / 1000;
    }

    /** {@return whole seconds a message received at {@code receivedAt} may still stay invisible} */
    static long ceilingLeft(Instant receivedAt, Instant now) {
        Instant ceiling = receivedAt.plus(SqsQueueOptions.SQS_MAX_VISIBILITY).minus(CEILING_MARGIN);
        long millis = Duration.between(now, ceiling).toMillis();
        return millis <= 0 ? 0 : millis / 1000;
    }

    /**
     * Keeps a message received before {@code notBefore} away until then.
     *
     * @throws dev.ergate.spi.ErgateBackendException if SQS fails (the message then comes back
     *     after its lease and is deferred again)
     */
    void defer(Message message, Instant notBefore, Instant receivedAt) {
        Instant now = clock.instant();
        long wait = secondsUntil(server.now(), notBefore);
        long left = ceilingLeft(receivedAt, now);
        if (Inbound.receiveCount(message) <= 1 && left > 0) {
            int seconds = (int) Math.min(Math.max(wait, 1), left);
            ops.changeVisibility(message.receiptHandle(), seconds);
            LOG.debug("message {} is due at {}: hidden for {} s", message.messageId(), notBefore, seconds);
        } else {
            copy(message, notBefore);
        }
    }

    /**
     * Replaces a leased message whose step never started by a fresh copy (its receive count starts
     * again, so SQS's redrive policy does not see this give-back), visible after {@code delay}:
     * sends the copy, then deletes the original, so a crash in between leaves a duplicate, never
     * nothing (on FIFO queues the copy's deduplication id makes a second send of it a no-op). The
     * copy carries {@value MessageAttributes#DELIVERIES}, the deliveries that counted so far.
     *
     * @param deliveriesBefore the deliveries that counted before the one given back
     */
    void resend(Message message, Duration delay, int deliveriesBefore) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>(message.messageAttributes());
        if (deliveriesBefore > 0) {
            attributes.put(MessageAttributes.DELIVERIES, MessageAttributes.number(deliveriesBefore));
        } else {
            attributes.remove(MessageAttributes.DELIVERIES);
        }
        long seconds = secondsUntil(Instant.EPOCH, Instant.EPOCH.plus(delay));
        int delaySeconds = 0;
        if (fifo ? seconds > 0 : seconds > MAX_DELAY_SECONDS) {
            Instant visibleAt = server.now().plus(delay);
            Instant marked = MessageAttributes.notBefore(message);
            Instant notBefore = marked != null && marked.isAfter(visibleAt) ? marked : visibleAt;
            attributes.putAll(MessageAttributes.notBefore(notBefore));
        }
        if (!fifo) {
            delaySeconds = (int) Math.min(MAX_DELAY_SECONDS, seconds);
        }
        String group = fifo ? Inbound.groupId(message) : null;
        if (fifo && group == null) {
            group = MessageIds.groupId(null);
        }
        ops.send(ops.queueUrl(), message.body(), attributes, delaySeconds, group,
                fifo ? MessageIds.derivedId("unstarted", message.messageId()) : null);
        ops.delete(message.receiptHandle());
        LOG.debug("message {} given back before its step started: replaced by a fresh copy delayed {} s",
                message.messageId(), seconds);
    }

    /** {@return SQS's time now, as well as this worker can tell} */
    Instant serverNow() {
        return server.now();
    }

    /**
     * Replaces a leased message by a copy that is handed out no sooner than {@code notBefore}:
     * sends the copy, then deletes the original (a crash in between leaves both, which at-least-once
     * delivery allows; on FIFO queues the copy's deduplication id makes a second copy a no-op).
     */
    void copy(Message message, Instant notBefore) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>(message.messageAttributes());
        attributes.putAll(MessageAttributes.notBefore(notBefore));
        int delay = fifo ? 0 : (int) Math.min(MAX_DELAY_SECONDS, secondsUntil(server.now(), notBefore));
        String group = fifo ? Inbound.groupId(message) : null;
        if (fifo && group == null) {
            group = MessageIds.groupId(null);
        }
        ops.send(ops.queueUrl(), message.body(), attributes, delay, group,
                fifo ? MessageIds.derivedId("copy-" + notBefore.toEpochMilli(), message.messageId()) : null);
        ops.delete(message.receiptHandle());
        LOG.debug("message {} is due at {}: replaced by a copy delayed {} s", message.messageId(), notBefore, delay);
    }
}
