package dev.ergate.sqs;

import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.internal.DaemonThreads;
import dev.ergate.internal.Deadlines;
import dev.ergate.internal.JobSizes;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.ErgateBackendException;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobTooLargeException;
import dev.ergate.spi.QueueCounts;
import dev.ergate.spi.QueueStats;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * An Ergate {@link JobQueue} on an Amazon SQS queue, standard or FIFO: takes long-poll, the lease
 * is the visibility timeout, acks are batched, start times beyond SQS's 15-minute delay are kept
 * by hiding and re-sending, FIFO groups by job id, oversize jobs are refused before sending and
 * undecodable messages never handed out. Details and limits: the module README, "Guarantees".
 * Thread-safe.
 */
public final class SqsJobQueue implements JobQueue, QueueStats {

    private static final Logger LOG = LoggerFactory.getLogger(SqsJobQueue.class);
    /** How long close waits for a receive in flight before it closes a client it built. */
    private static final Duration CLOSE_RECEIVE_WAIT = Duration.ofSeconds(2);

    private final SqsOperations ops;
    private final @Nullable SqsClient ownedClient;
    private final SqsQueueOptions config;
    private final JobCodec codec;
    private final Clock clock;
    private final ServerClock server;
    private final boolean fifo;
    private final Deferrals deferrals;
    private final DeadLetters deadLetters;
    private final Receiver receiver;
    private final ScheduledExecutorService housekeeper;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<String> warnings;

    private SqsJobQueue(SqsClient client, @Nullable SqsClient ownedClient, String queueUrl, QueueFacts facts,
            List<String> warnings, SqsQueueOptions config, JobCodec codec) {
        this.ops = new SqsOperations(client, queueUrl);
        this.ownedClient = ownedClient;
        this.config = config;
        this.codec = codec;
        this.clock = config.clock();
        this.fifo = queueUrl.endsWith(".fifo");
        this.server = new ServerClock(clock);
        this.deferrals = new Deferrals(ops, fifo, clock, server);
        this.deadLetters = new DeadLetters(ops, config.deadLetterQueueUrl(), facts.redrivePolicy(),
                facts.deadLetterBudget(config), clock);
        this.warnings = List.copyOf(warnings);
        this.receiver = new Receiver(ops, new InboundSorter(codec, config.maxJobBytes(), deadLetters, deferrals, clock,
                server), config);
        this.housekeeper = Executors.newSingleThreadScheduledExecutor(
                task -> DaemonThreads.newThread("ergate-sqs-housekeeper", task));
        long sweepMillis = Math.max(20, Math.min(250, config.maxPrefetchHold().toMillis() / 2));
        housekeeper.scheduleWithFixedDelay(this::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        LOG.info("SQS job queue on {} ({}, lease {}, redrive policy {}, dead-letter queue {})", queueUrl,
                fifo ? "FIFO" : "standard", config.leaseTime(),
                facts.redrivePolicy() == null ? "none" : facts.redrivePolicy(),
                config.deadLetterQueueUrl() == null ? "none" : config.deadLetterQueueUrl());
        for (String warning : this.warnings) {
            LOG.warn("SQS job queue setup: {}", warning);
        }
    }

    /** {@return a builder: a queue URL or name is required} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a queue by URL with the default configuration and a client built from the default
     * AWS region and credential chains (the endpoint is the URL's, unless it is an AWS one).
     *
     * @param queueUrl the queue's URL, as SQS gives it
     * @return the queue
     * @throws ErgateBackendException if the queue can't be reached
     */
    public static SqsJobQueue connect(String queueUrl) {
        return SqsUris.parse(queueUrl).build();
    }

    /**
     * Opens a queue described by one string, for command lines and configuration files.
     * Either a queue URL ({@code https://sqs.eu-west-1.amazonaws.com/123456789012/jobs}, {@code
     * http://127.0.0.1:9324/000000000000/jobs}) or {@code sqs://QUEUE-NAME}, each optionally
     * followed by {@code ?} and {@code &}-separated settings: {@code endpoint=URL}, {@code
     * region=NAME}, {@code credentials=default|anonymous}, {@code create=true} (create the
     * queue when missing), {@code leaseSeconds=N}, {@code maxJobBytes=N}, {@code dlq=URL}.
     * The string never holds credentials: they come from the default chain.
     *
     * @param uri the description
     * @return a builder set up from it, to adjust further or {@link Builder#build()} at once
     * @throws IllegalArgumentException naming the part that is wrong
     */
    public static Builder fromUri(String uri) {
        return SqsUris.parse(uri);
    }

    /** {@return the queue's URL} */
    public String queueUrl() {
        return ops.queueUrl();
    }

    /** {@return the calls to SQS this queue makes, on its client} */
    SqsOperations operations() {
        return ops;
    }

    /** {@return true for a FIFO queue} */
    public boolean isFifo() {
        return fifo;
    }

    /** {@return the configuration} */
    public SqsQueueOptions queueOptions() {
        return config;
    }

    /**
     * @return the largest job, as JSON bytes, that {@link #put} accepts ({@link
     *     SqsQueueOptions#maxJobBytes()})
     */
    public long maxJobBytes() {
        return config.maxJobBytes();
    }

    /** {@return the lease a take gets: the visibility timeout of a received message} */
    public Duration leaseTime() {
        return config.leaseTime();
    }

    /**
     * Sends the job, delayed to its start time.
     *
     * @throws IllegalArgumentException if the job has a {@linkplain Job#priority() priority}:
     *     SQS hands messages out in no order of ours, so a priority can't be kept (use one queue
     *     per priority level, see the README)
     * @throws JobTooLargeException if its JSON is over {@link #maxJobBytes()}
     * @throws ErgateBackendException if SQS fails
     */
    @Override
    public void put(Job job) {
        Objects.requireNonNull(job, "job");
        requireOpen();
        if (job.priority() != 0) {
            throw new IllegalArgumentException("job " + job.id() + " of workflow '" + job.workflowName()
                    + "' has priority " + job.priority() + ", but SQS has no priorities (the SQS queue "
                    + ops.queueUrl() + " hands out messages in its own order): use one SQS queue per priority"
                    + " level, each with its own workers (more on the higher ones), or submit without a priority");
        }
        byte[] json = JobSizes.check(job, codec.encode(job), maxJobBytes());
        Instant now = server.now(); // a start time is compared with SQS's clock, as well as this worker knows it
        Instant start = job.requestedStartTime();
        Map<String, MessageAttributeValue> attributes = Map.of();
        int delaySeconds = 0;
        if (start != null && start.isAfter(now)) {
            attributes = MessageAttributes.notBefore(start);
            if (!fifo) {
                delaySeconds = (int) Math.min(Deferrals.MAX_DELAY_SECONDS, Deferrals.secondsUntil(now, start));
            }
        }
        try {
            ops.send(ops.queueUrl(), new String(json, StandardCharsets.UTF_8), attributes, delaySeconds,
                    fifo ? MessageIds.groupId(job.id()) : null, fifo ? MessageIds.deduplicationId(job) : null);
        } catch (ErgateBackendException e) {
            throw new ErgateBackendException("can't put job " + job.id() + " of workflow '" + job.workflowName()
                    + "': " + e.getMessage(), e.getCause(), e.isTransient());
        }
    }

    @Override
    public Optional<Delivery> take(Duration maxWait) throws InterruptedException {
        Deadlines.takeDeadline(maxWait); // checks it
        requireOpen();
        Inbound inbound = receiver.take(maxWait);
        if (inbound == null) {
            return Optional.empty();
        }
        return Optional.of(new SqsDelivery(inbound, config.leaseTime(), ops, deferrals, deadLetters, clock));
    }

    /**
     * Nothing to check: receives hold one connection per ten waiting takers, and the client this
     * queue builds itself has no connection cap. A client of your own with a connection pool
     * needs {@code concurrentTakers / 10 + 1} connections for receives, plus one per worker
     * thread for acks and puts.
     */
    @Override
    public void checkCapacity(int concurrentTakers) {
        if (concurrentTakers < 1) {
            throw new IllegalArgumentException("concurrentTakers must be at least 1, got " + concurrentTakers);
        }
    }

    /**
     * Reads SQS's approximate counts ({@code ApproximateNumberOfMessages}, {@code
     * ...NotVisible}, {@code ...Delayed}); dead letters are the dead-letter queue's approximate
     * count, or {@link QueueCounts#UNKNOWN} when none is configured. Messages received ahead for
     * waiting takers count as in flight, and so does a job received before its start time and
     * hidden again (on a FIFO queue, which has no per-message delay, such a job counts as ready
     * until then). SQS updates these numbers a little late: don't expect them to move the moment
     * a message does.
     *
     * @throws ErgateBackendException if SQS fails
     */
    @Override
    public QueueCounts counts() {
        Map<QueueAttributeName, String> queue = attributes(ops.queueUrl(), List.of(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        long dead = QueueCounts.UNKNOWN;
        String deadLetterQueueUrl = config.deadLetterQueueUrl();
        if (deadLetterQueueUrl != null) {
            dead = count(attributes(deadLetterQueueUrl, List.of(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        }
        return new QueueCounts(count(queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
                count(queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED),
                count(queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE), dead, true);
    }

    private Map<QueueAttributeName, String> attributes(String url, List<QueueAttributeName> names) {
        try {
            return ops.client().getQueueAttributes(r -> r.queueUrl(url).attributeNames(names)).attributes();
        } catch (SdkException e) {
            throw SqsFailures.translate("GetQueueAttributes on " + url, e);
        }
    }

    private static long count(Map<QueueAttributeName, String> attributes, QueueAttributeName name) {
        String value = attributes.get(name);
        try {
            return value == null ? QueueCounts.UNKNOWN : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return QueueCounts.UNKNOWN;
        }
    }

    /** {@return the setup mistakes logged when this queue was built (see the README, "Setup checks")} */
    List<String> setupWarnings() {
        return warnings;
    }

    Receiver receiver() {
        return receiver;
    }

    /** {@return how many received messages wait locally for a taker now (for tests and metrics)} */
    int bufferedMessages() {
        return receiver.buffered();
    }

    private void sweep() {
        try {
            receiver.sweep();
        } catch (RuntimeException e) {
            LOG.warn("releasing prefetched messages of {} failed: {}", ops.queueUrl(), e.toString());
        }
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("SQS job queue on " + ops.queueUrl() + " is closed");
        }
    }

    /**
     * Wakes waiting takers (they return empty), makes prefetched messages visible again, and
     * closes the client if this queue built it, after receives in flight end (waiting at most 2
     * s); a client passed in stays open. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        housekeeper.shutdownNow();
        try {
            receiver.close();
            if (ownedClient != null && !receiver.awaitReceives(CLOSE_RECEIVE_WAIT)) {
                LOG.debug("closing the SQS client of {} with a receive still in flight; what it received comes"
                        + " back when its lease ends", ops.queueUrl());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (ownedClient != null) {
                ownedClient.close();
            }
        }
    }

    @Override
    public String toString() {
        return "SqsJobQueue[" + ops.queueUrl() + "]";
    }

    /**
     * Builds an {@link SqsJobQueue}: where the queue is (URL or name), which client to use, and
     * the {@link SqsQueueOptions}. {@link #build()} checks that the queue exists (creating it when
     * asked) and reads its redrive policy. Not thread-safe.
     */
    public static final class Builder {
        private @Nullable SqsClient client;
        private SqsOptions options = SqsOptions.defaults();
        private @Nullable String queueUrl;
        private @Nullable String queueName;
        private boolean createIfMissing;
        private SqsQueueOptions config = SqsQueueOptions.defaults();
        private JobCodec codec = JobCodec.standard();

        private Builder() {
        }

        /** @param client your own client; the queue never closes it. Overrides {@link #options}. */
        public Builder client(@Nullable SqsClient client) {
            this.client = client;
            return this;
        }

        /** @param options how to build a client when none is given; the queue closes that client */
        public Builder options(SqsOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** @param queueUrl the queue's URL (set this or {@link #queueName}) */
        public Builder queueUrl(@Nullable String queueUrl) {
            this.queueUrl = queueUrl;
            return this;
        }

        /** @param queueName the queue's name, looked up with GetQueueUrl (a {@code .fifo} name is a FIFO queue) */
        public Builder queueName(@Nullable String queueName) {
            this.queueName = queueName;
            return this;
        }

        /**
         * @param createIfMissing create the queue when it does not exist (default false): by name,
         *     or by the name a queue URL ends with
         */
        public Builder createIfMissing(boolean createIfMissing) {
            this.createIfMissing = createIfMissing;
            return this;
        }

        /** @param config lease time, size limit, batching, dead-letter queue, clock */
        public Builder queueOptions(SqsQueueOptions config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** @param codec how jobs are written and read, e.g. with a Python status dialect */
        public Builder codec(JobCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /** {@return the client options a client would be built from} */
        SqsOptions options() {
            return options;
        }

        /** {@return the queue's URL or name, for messages} */
        String describe() {
            return queueUrl != null ? queueUrl : String.valueOf(queueName);
        }

        /**
         * @return the queue, ready to use
         * @throws IllegalArgumentException if neither or both of URL and name are given
         * @throws ErgateBackendException if the queue can't be found or read
         */
        public SqsJobQueue build() {
            if ((queueUrl == null) == (queueName == null)) {
                throw new IllegalArgumentException("give exactly one of queueUrl and queueName, got url=" + queueUrl
                        + ", name=" + queueName);
            }
            SqsClient use = client != null ? client : options.createClient();
            SqsClient owned = client == null ? use : null;
            try {
                String url = queueUrl != null ? queueUrl : resolve(use, queueName);
                QueueFacts facts;
                try {
                    facts = QueueFacts.read(use, url);
                } catch (QueueDoesNotExistException e) {
                    if (queueUrl == null || !createIfMissing) {
                        throw new ErgateBackendException("SQS queue " + url + " does not exist"
                                + (queueUrl == null ? "" : " (create it, or set createIfMissing / create=true)"), e, false);
                    }
                    url = create(use, nameInUrl(queueUrl));
                    facts = QueueFacts.read(use, url);
                }
                List<String> warnings = new ArrayList<>();
                String deadLetterQueueUrl = config.deadLetterQueueUrl();
                if (deadLetterQueueUrl != null) {
                    facts = facts.withDeadLetterQueue(use, deadLetterQueueUrl, warnings);
                }
                warnings.addAll(facts.warnings(url, config));
                return new SqsJobQueue(use, owned, url, facts, warnings, config, codec);
            } catch (RuntimeException e) {
                if (owned != null) {
                    owned.close();
                }
                throw e;
            }
        }

        /** {@return the queue name a queue URL ends with} */
        static String nameInUrl(String url) {
            String path = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            return path.substring(path.lastIndexOf('/') + 1);
        }

        private String resolve(SqsClient sqs, String name) {
            try {
                return sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
            } catch (QueueDoesNotExistException e) {
                if (!createIfMissing) {
                    throw new ErgateBackendException("SQS queue '" + name + "' does not exist (create it, or set"
                            + " createIfMissing)", e, false);
                }
            } catch (SdkException e) {
                throw SqsFailures.translate("GetQueueUrl for '" + name + "'", e);
            }
            return create(sqs, name);
        }

        private static String create(SqsClient sqs, String name) {
            try {
                String url = sqs.createQueue(r -> {
                    r.queueName(name);
                    if (name.endsWith(".fifo")) {
                        r.attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"));
                    }
                }).queueUrl();
                LOG.info("created SQS queue {}", url);
                return url;
            } catch (SdkException e) {
                throw SqsFailures.translate("CreateQueue for '" + name + "'", e);
            }
        }
    }
}
