package dev.ergate.sqs;

import dev.ergate.Job;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * A received message that decoded to a job that is due, waiting to be handed to a taker.
 *
 * @param message the SQS message
 * @param job its job
 * @param receivedAt when the receive call was sent: never later than SQS's own receive time, so
 *     the 12-hour visibility ceiling counted from it is never overstated
 * @param leaseStart when the message's visibility timeout started, as well as we can tell: the
 *     response's arrival, less the call's duration up to one second
 * @param arrivedNanos the response's arrival on {@link System#nanoTime()}, for the prefetch hold
 * @param deliveryCount deliveries counted for the runtime: SQS's receive count, less the one
 *     receive a deferred message spends before its start time
 */
record Inbound(Message message, Job job, Instant receivedAt, Instant leaseStart, long arrivedNanos,
        int deliveryCount) {

    /** {@return SQS's ApproximateReceiveCount, or 1 when the server did not send it} */
    static int receiveCount(Message message) {
        String count = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        if (count == null) {
            return 1;
        }
        try {
            return Math.max(1, Integer.parseInt(count.trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** {@return the message's FIFO group, or null on a standard queue} */
    static @Nullable String groupId(Message message) {
        return message.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
    }
}
