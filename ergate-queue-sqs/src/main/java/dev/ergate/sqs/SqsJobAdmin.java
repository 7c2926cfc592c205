package dev.ergate.sqs;

import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.JobFormatException;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.CursorPage;
import dev.ergate.spi.DeadLetter;
import dev.ergate.spi.DeadLetterFilter;
import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobCounts;
import dev.ergate.spi.JobEvent;
import dev.ergate.spi.JobFilter;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.RequeueResult;
import dev.ergate.spi.RetryOutcome;
import dev.ergate.spi.StoredJob;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The {@link JobAdmin} of an {@link SqsJobQueue}: job operations are the paired store's admin's
 * (retrying onto this queue); requeue and purge work on the queue's dead-letter queue, receiving
 * each message once (a receive counts) and giving back what they keep. Listing is not offered:
 * SQS can't show a message without receiving it. Thread-safe.
 */
public final class SqsJobAdmin implements JobAdmin {

    /** The dead-letter operations, offered when the queue has a dead-letter queue. */
    private static final Set<Operation> DEAD_LETTER_OPERATIONS = EnumSet.of(
            Operation.REQUEUE_DEAD_LETTERS, Operation.PURGE_DEAD_LETTERS);
    /** How long a walk keeps the dead letters it received hidden, so it sees each once. */
    private static final int WALK_VISIBILITY_SECONDS = 120;
    /** The most dead letters one walk receives. */
    private static final int MAX_WALK = 100_000;
    private static final Set<String> DEAD_LETTER_ATTRIBUTES = Set.of(MessageAttributes.DEAD_LETTER_REASON,
            MessageAttributes.SOURCE_QUEUE, MessageAttributes.SOURCE_MESSAGE_ID, MessageAttributes.DELIVERIES);

    private final SqsJobQueue queue;
    private final JobAdmin jobs;
    private final JobStore store;
    private final @Nullable String deadLetterQueueUrl;
    private final JobCodec codec = JobCodec.standard();

    private SqsJobAdmin(SqsJobQueue queue, JobAdmin jobs, JobStore store) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.store = Objects.requireNonNull(store, "store");
        this.deadLetterQueueUrl = queue.queueOptions().deadLetterQueueUrl();
    }

    /**
     * @param queue the SQS queue, with its dead-letter queue configured for the dead-letter operations
     * @param jobs the admin of the store the queue pairs with, retrying onto {@code queue} (for
     *     example {@code pg.admin(queue)} or {@code redis.admin(...)})
     * @param store that store, to set a requeued job's final state back to QUEUED
     * @return the admin
     */
    public static SqsJobAdmin of(SqsJobQueue queue, JobAdmin jobs, JobStore store) {
        return new SqsJobAdmin(queue, jobs, store);
    }

    @Override
    public Set<Operation> operations() {
        EnumSet<Operation> operations = EnumSet.noneOf(Operation.class);
        for (Operation operation : jobs.operations()) {
            if (!DEAD_LETTER_OPERATIONS.contains(operation) && operation != Operation.LIST_DEAD_LETTERS) {
                operations.add(operation);
            }
        }
        if (deadLetterQueueUrl != null) {
            operations.addAll(DEAD_LETTER_OPERATIONS);
        }
        return operations;
    }

    private JobAdmin jobs(Operation operation) {
        if (!supports(operation)) {
            throw unsupported(operation);
        }
        return jobs;
    }

    @Override
    public JobCounts countJobs() {
        return jobs(Operation.COUNT_JOBS).countJobs();
    }

    @Override
    public CursorPage<StoredJob> listJobs(JobFilter filter) {
        return jobs(Operation.LIST_JOBS).listJobs(filter);
    }

    @Override
    public Optional<StoredJob> findJob(JobId id) {
        return jobs(Operation.LIST_JOBS).findJob(id);
    }

    @Override
    public List<JobEvent> history(JobId id) {
        return jobs(Operation.JOB_HISTORY).history(id);
    }

    @Override
    public boolean cancelJob(JobId id) {
        return jobs(Operation.CANCEL_JOB).cancelJob(id);
    }

    @Override
    public RetryOutcome retryJob(JobId id) {
        return jobs(Operation.RETRY_JOB).retryJob(id);
    }

    @Override
    public boolean deleteJob(JobId id) {
        return jobs(Operation.DELETE_JOB).deleteJob(id);
    }

    @Override
    public long purgeJobs(Instant cutoff) {
        return jobs(Operation.PURGE_JOBS).purgeJobs(cutoff);
    }

    @Override
    public boolean tryRetentionLease(String owner, Duration duration) {
        return jobs(Operation.RETENTION_LEASE).tryRetentionLease(owner, duration);
    }

    /** Not offered: SQS can't show a message without receiving it. */
    @Override
    public CursorPage<DeadLetter> listDeadLetters(DeadLetterFilter filter) {
        throw unsupported(Operation.LIST_DEAD_LETTERS);
    }

    @Override
    public RequeueResult requeueDeadLetter(String id) {
        Objects.requireNonNull(id, "id");
        return requeue(letter -> letter.id().equals(id));
    }

    @Override
    public RequeueResult requeueDeadLetters(DeadLetterFilter filter) {
        Objects.requireNonNull(filter, "filter");
        return requeue(filter::matches);
    }

    private RequeueResult requeue(java.util.function.Predicate<DeadLetter> wanted) {
        String dlq = deadLetterQueue(Operation.REQUEUE_DEAD_LETTERS);
        List<String> requeued = new ArrayList<>();
        List<RequeueResult.Kept> kept = new ArrayList<>();
        walk(dlq, (message, letter) -> {
            if (!wanted.test(letter)) {
                return false;
            }
            Job job;
            try {
                job = codec.decode(letter.body());
            } catch (JobFormatException e) {
                kept.add(new RequeueResult.Kept(letter.id(), "still not a job: " + e.getMessage()));
                return false;
            }
            JobId jobId = job.id();
            if (jobId != null) {
                // A deliberate repair: replace writes past the fence that refuses QUEUED over a final state.
                store.find(jobId).filter(stored -> stored.status().isFinal())
                        .ifPresent(stored -> store.replace(job.toBuilder().status(JobStatus.QUEUED).build()));
            }
            send(letter, message, jobId);
            requeued.add(letter.id());
            return true;
        });
        return new RequeueResult(requeued, kept);
    }

    /** Sends the body back to its source queue, with its attributes but Ergate's dead-letter ones. */
    private void send(DeadLetter letter, Message message, @Nullable JobId jobId) {
        Map<String, MessageAttributeValue> attributes = new HashMap<>(message.messageAttributes());
        DEAD_LETTER_ATTRIBUTES.forEach(attributes::remove);
        String target = letter.sourceQueue();
        boolean fifo = target.endsWith(".fifo");
        queue.operations().send(target, letter.body(), attributes, 0,
                fifo ? (jobId == null ? "ergate-requeued" : jobId.value()) : null,
                fifo ? MessageIds.derivedId("requeue", message.messageId()) : null);
    }

    @Override
    public long purgeDeadLetters(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        String dlq = deadLetterQueue(Operation.PURGE_DEAD_LETTERS);
        long[] deleted = {0};
        walk(dlq, (message, letter) -> {
            if (letter.at().isBefore(cutoff)) {
                deleted[0]++;
                return true;
            }
            return false;
        });
        return deleted[0];
    }

    /** What a walk does with one dead letter: true to delete it, false to give it back. */
    private interface Visitor {
        boolean visit(Message message, DeadLetter letter);
    }

    /**
     * Receives every message of the dead-letter queue once (each stays hidden for {@value
     * #WALK_VISIBILITY_SECONDS} s while the walk goes on), deletes those the visitor is done with
     * and makes the others visible again at the end. The walk ends at the first empty long poll.
     */
    private void walk(String dlq, Visitor visitor) {
        SqsClient client = queue.operations().client();
        List<String> giveBack = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try {
            while (seen.size() < MAX_WALK) {
                List<Message> messages = receive(client, dlq);
                if (messages.isEmpty()) {
                    return;
                }
                for (Message message : messages) {
                    if (!seen.add(message.messageId())) {
                        giveBack.add(message.receiptHandle());
                        continue;
                    }
                    if (visitor.visit(message, deadLetter(message, dlq))) {
                        delete(client, dlq, message);
                    } else {
                        giveBack.add(message.receiptHandle());
                    }
                }
            }
        } finally {
            release(client, dlq, giveBack);
        }
    }

    private static List<Message> receive(SqsClient client, String dlq) {
        try {
            return client.receiveMessage(r -> r.queueUrl(dlq).maxNumberOfMessages(SqsQueueOptions.SQS_MAX_BATCH)
                    .waitTimeSeconds(1).visibilityTimeout(WALK_VISIBILITY_SECONDS)
                    .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP,
                            MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
                    .messageAttributeNames("All")).messages();
        } catch (SdkException e) {
            throw SqsFailures.translate("ReceiveMessage on " + dlq, e);
        }
    }

    private static void delete(SqsClient client, String dlq, Message message) {
        try {
            client.deleteMessage(r -> r.queueUrl(dlq).receiptHandle(message.receiptHandle()));
        } catch (SdkException e) {
            throw SqsFailures.translate("DeleteMessage on " + dlq, e);
        }
    }

    private static void release(SqsClient client, String dlq, List<String> handles) {
        for (int from = 0; from < handles.size(); from += SqsQueueOptions.SQS_MAX_BATCH) {
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
            List<String> chunk = handles.subList(from, Math.min(handles.size(), from + SqsQueueOptions.SQS_MAX_BATCH));
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(chunk.get(i)).visibilityTimeout(0).build());
            }
            try {
                client.changeMessageVisibilityBatch(r -> r.queueUrl(dlq).entries(entries));
            } catch (SdkException e) {
                throw SqsFailures.translate("ChangeMessageVisibilityBatch on " + dlq, e);
            }
        }
    }

    /** The message as a dead letter: times from SentTimestamp (when it reached the dead-letter queue). */
    private DeadLetter deadLetter(Message message, String dlq) {
        Map<String, MessageAttributeValue> attributes = message.messageAttributes();
        String reason = attribute(attributes, MessageAttributes.DEAD_LETTER_REASON);
        String source = attribute(attributes, MessageAttributes.SOURCE_QUEUE);
        String sent = message.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
        String receives = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        return new DeadLetter(message.messageId(), source == null ? queue.queueUrl() : source, message.body(),
                reason == null ? "moved by the queue's redrive policy" : reason,
                sent == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(sent)),
                receives == null ? 0 : Integer.parseInt(receives), jobIdOf(message.body()));
    }

    private static @Nullable String attribute(Map<String, MessageAttributeValue> attributes, String name) {
        MessageAttributeValue value = attributes.get(name);
        return value == null ? null : value.stringValue();
    }

    private @Nullable String jobIdOf(String body) {
        try {
            JobId id = codec.decode(body).id();
            return id == null ? null : id.value();
        } catch (JobFormatException e) {
            return null;
        }
    }

    private String deadLetterQueue(Operation operation) {
        if (deadLetterQueueUrl == null) {
            throw unsupported(operation);
        }
        return deadLetterQueueUrl;
    }

    @Override
    public String toString() {
        return "SqsJobAdmin[" + queue.queueUrl() + ", dead letters " + (deadLetterQueueUrl == null ? "none"
                : deadLetterQueueUrl) + ", jobs " + jobs + "]";
    }
}
