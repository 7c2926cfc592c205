package dev.ergate.sqs;

import dev.ergate.spi.ErgateBackendException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * What an {@link SqsJobQueue} reads of its queue (and its dead-letter queue) when it is built,
 * and the setup mistakes that follow from it, each logged once then.
 *
 * @param redrivePolicy the queue's RedrivePolicy, or null when it has none
 * @param retention the queue's MessageRetentionPeriod, or null when the server did not say
 * @param maxMessageBytes the queue's MaximumMessageSize, or -1 when the server did not say
 * @param deadLetterMaxMessageBytes the dead-letter queue's MaximumMessageSize, or -1 when there
 *     is none or the server did not say
 */
record QueueFacts(@Nullable String redrivePolicy, @Nullable Duration retention, long maxMessageBytes,
        long deadLetterMaxMessageBytes) {

    /**
     * The longest one message waits by Ergate's design before it is handed out or replaced: 15
     * minutes of DelaySeconds, then hidden (or leased) up to SQS's 12-hour visibility ceiling.
     * SQS deletes a message older than the queue's retention, whatever it waits for.
     */
    static final Duration LONGEST_WAIT = SqsQueueOptions.SQS_MAX_VISIBILITY
            .plusSeconds(Deferrals.MAX_DELAY_SECONDS);

    /**
     * @throws QueueDoesNotExistException if the queue does not exist
     * @throws ErgateBackendException if SQS fails otherwise
     */
    static QueueFacts read(SqsClient sqs, String url) {
        Map<QueueAttributeName, String> attributes = attributes(sqs, url, List.of(QueueAttributeName.REDRIVE_POLICY,
                QueueAttributeName.MESSAGE_RETENTION_PERIOD, QueueAttributeName.MAXIMUM_MESSAGE_SIZE));
        String policy = attributes.get(QueueAttributeName.REDRIVE_POLICY);
        long retentionSeconds = number(attributes.get(QueueAttributeName.MESSAGE_RETENTION_PERIOD));
        return new QueueFacts(policy == null || policy.isBlank() ? null : policy,
                retentionSeconds < 0 ? null : Duration.ofSeconds(retentionSeconds),
                number(attributes.get(QueueAttributeName.MAXIMUM_MESSAGE_SIZE)), -1);
    }

    /**
     * @return these facts with the dead-letter queue's size limit, when it can be read; a
     *     dead-letter queue that can't be read is a warning, not a failure: the queue still works
     */
    QueueFacts withDeadLetterQueue(SqsClient sqs, String deadLetterQueueUrl, List<String> warnings) {
        try {
            return new QueueFacts(redrivePolicy, retention, maxMessageBytes, number(attributes(sqs,
                    deadLetterQueueUrl, List.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE))
                    .get(QueueAttributeName.MAXIMUM_MESSAGE_SIZE)));
        } catch (QueueDoesNotExistException e) {
            warnings.add("the dead-letter queue " + deadLetterQueueUrl + " does not exist: poison messages and jobs"
                    + " given up on stay on the queue until it does");
        } catch (ErgateBackendException e) {
            warnings.add("can't read the dead-letter queue " + deadLetterQueueUrl + " (" + e.getMessage() + ")");
        }
        return this;
    }

    /** {@return the setup mistakes these facts show, one sentence each, for {@code queueUrl}} */
    List<String> warnings(String queueUrl, SqsQueueOptions config) {
        List<String> warnings = new ArrayList<>();
        if (retention != null && retention.compareTo(LONGEST_WAIT) < 0) {
            warnings.add("the MessageRetentionPeriod of " + queueUrl + " (" + retention + ") is shorter than "
                    + LONGEST_WAIT + ", the longest one message may wait by Ergate's design (a 15-minute delay,"
                    + " then hidden or leased up to 12 h): SQS deletes a job due, retried or running longer than "
                    + retention + " after its message was sent; raise it (up to 14 days)");
        }
        if (config.deadLetterQueueUrl() == null && redrivePolicy == null) {
            warnings.add(queueUrl + " has no dead-letter queue (deadLetterQueueUrl) and no redrive policy: a poison"
                    + " message is kept on the queue, hidden 12 h at a time and logged each time it comes back,"
                    + " until its retention ends");
        }
        long wanted = config.maxJobBytes() + MessageAttributes.RESERVED_BYTES;
        if (maxMessageBytes > 0 && maxMessageBytes < wanted) {
            warnings.add("the MaximumMessageSize of " + queueUrl + " (" + maxMessageBytes + " bytes) is below"
                    + " maxJobBytes + " + MessageAttributes.RESERVED_BYTES + " (" + wanted + "): SQS refuses larger"
                    + " jobs at put; set maxJobBytes to " + Math.max(0, maxMessageBytes - MessageAttributes.RESERVED_BYTES));
        }
        if (deadLetterMaxMessageBytes > 0 && deadLetterMaxMessageBytes < Math.max(wanted, maxMessageBytes)) {
            warnings.add("the dead-letter queue " + config.deadLetterQueueUrl() + " takes messages up to "
                    + deadLetterMaxMessageBytes + " bytes only, less than the queue's: a larger poison message"
                    + " can't be moved there and stays on the queue");
        }
        return warnings;
    }

    /**
     * {@return the most bytes (body and attributes) a message sent to the dead-letter queue may
     * have: its MaximumMessageSize, else the configured limit of this queue}
     */
    long deadLetterBudget(SqsQueueOptions config) {
        return deadLetterMaxMessageBytes > 0 ? deadLetterMaxMessageBytes
                : config.maxJobBytes() + MessageAttributes.RESERVED_BYTES;
    }

    private static Map<QueueAttributeName, String> attributes(SqsClient sqs, String url,
            List<QueueAttributeName> names) {
        try {
            return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(names)).attributes();
        } catch (QueueDoesNotExistException e) {
            throw e;
        } catch (SdkException e) {
            throw SqsFailures.translate("GetQueueAttributes on " + url, e);
        }
    }

    private static long number(@Nullable String value) {
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
