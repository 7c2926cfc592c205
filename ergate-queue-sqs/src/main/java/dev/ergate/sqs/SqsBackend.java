package dev.ergate.sqs;

import dev.ergate.JobCodec;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The entry point to SQS, shaped like {@code RedisBackend} and {@code JdbcBackend}: {@link
 * #connect(String)} or {@link #connect(SqsOptions)} when Ergate builds the client, {@link
 * #create(SqsClient)} for a client of your own; then {@link #queue}. Thread-safe.
 */
public final class SqsBackend implements AutoCloseable {

    private final SqsClient client;
    private final boolean ownsClient;
    private final SqsOptions options;
    /** The queue a {@link #connect(String)} URI named, or null. */
    private final SqsJobQueue.@Nullable Builder named;

    private SqsBackend(SqsClient client, boolean ownsClient, SqsOptions options, SqsJobQueue.@Nullable Builder named) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.options = options;
        this.named = named;
    }

    /**
     * Connects with one string, for command lines and configuration: a queue URL or {@code
     * sqs://QUEUE-NAME}, with the settings {@link SqsJobQueue#fromUri(String)} lists; {@link
     * #queue()} then opens that queue. Credentials never go in the string.
     *
     * @param uri the description
     * @return the backend, with a client of its own
     * @throws IllegalArgumentException naming the part of the string that is wrong
     */
    public static SqsBackend connect(String uri) {
        return connect(uri, JobCodec.standard());
    }

    /**
     * Like {@link #connect(String)}, with the codec the queues write and read jobs with.
     *
     * @param uri the description, as for {@link #connect(String)}
     * @param codec e.g. {@code JobCodec.builder().dialect(...)} for jobs shared with Python Ergate
     * @return the backend, with a client of its own
     * @throws IllegalArgumentException naming the part of the string that is wrong
     */
    public static SqsBackend connect(String uri, JobCodec codec) {
        Objects.requireNonNull(codec, "codec");
        SqsJobQueue.Builder named = SqsUris.parse(uri);
        SqsOptions options = named.options().toBuilder().codec(codec).build();
        return new SqsBackend(options.createClient(), true, options, named);
    }

    /**
     * @param options region, endpoint, credentials and timeouts of the client to build
     * @return the backend, with a client of its own, closed by {@link #close()}
     */
    public static SqsBackend connect(SqsOptions options) {
        Objects.requireNonNull(options, "options");
        return new SqsBackend(options.createClient(), true, options, null);
    }

    /**
     * @param client your own client; {@link #close()} leaves it open
     * @return the backend
     */
    public static SqsBackend create(SqsClient client) {
        return create(client, SqsOptions.defaults());
    }

    /**
     * @param client your own client; {@link #close()} leaves it open
     * @param options the {@linkplain SqsOptions#codec() codec} the queues use (the client settings
     *     are not used: the client is built already)
     * @return the backend
     */
    public static SqsBackend create(SqsClient client, SqsOptions options) {
        return new SqsBackend(Objects.requireNonNull(client, "client"), false,
                Objects.requireNonNull(options, "options"), null);
    }

    /**
     * @return the queue the {@link #connect(String)} URI named, with its settings
     * @throws IllegalStateException if the backend was not made from such a URI
     * @throws dev.ergate.spi.ErgateBackendException if the queue can't be found or read
     */
    public SqsJobQueue queue() {
        if (named == null) {
            throw new IllegalStateException("this SqsBackend was not connected with a queue's URI: use queue(urlOrName)");
        }
        return named.client(client).codec(options.codec()).build();
    }

    /**
     * @param queueUrlOrName the queue's name (a {@code .fifo} name is FIFO), its URL, or a {@link
     *     #connect(String)} description ({@code sqs://NAME?leaseSeconds=...}) whose queue settings
     *     apply (its client settings don't: the queue uses this backend's client)
     * @return the queue, with the default {@link SqsQueueOptions} unless the description sets them
     * @throws IllegalArgumentException if a description is malformed
     * @throws dev.ergate.spi.ErgateBackendException if the queue can't be found or read
     */
    public SqsJobQueue queue(String queueUrlOrName) {
        Objects.requireNonNull(queueUrlOrName, "queueUrlOrName");
        if (!queueUrlOrName.contains("://")) {
            return queue(queueUrlOrName, SqsQueueOptions.defaults());
        }
        return SqsUris.parse(queueUrlOrName).client(client).codec(options.codec()).build();
    }

    /**
     * @param queueUrlOrName the queue's URL ({@code http(s)://...}) or name (a {@code .fifo} name is FIFO)
     * @param queueOptions lease time, {@code maxJobBytes}, batching, dead-letter queue, clock
     * @return the queue, on this backend's client (closing the queue leaves the client open)
     * @throws dev.ergate.spi.ErgateBackendException if the queue can't be found or read
     */
    public SqsJobQueue queue(String queueUrlOrName, SqsQueueOptions queueOptions) {
        Objects.requireNonNull(queueUrlOrName, "queueUrlOrName");
        SqsJobQueue.Builder builder = SqsJobQueue.builder().client(client).queueOptions(queueOptions)
                .codec(options.codec());
        if (queueUrlOrName.startsWith("https://") || queueUrlOrName.startsWith("http://")) {
            builder.queueUrl(queueUrlOrName);
        } else {
            builder.queueName(queueUrlOrName);
        }
        return builder.build();
    }

    /**
     * @param queue a queue of this backend, with its dead-letter queue configured for requeue and purge
     * @param storeAdmin the admin of the store the queue pairs with, retrying onto {@code queue}
     *     ({@code pg.admin(queue)}, {@code redis.admin(redis.store(), queue)})
     * @param store that store
     * @return the queue's admin (DESIGN.md, "The admin SPI"), see {@link SqsJobAdmin}
     */
    public SqsJobAdmin admin(SqsJobQueue queue, dev.ergate.spi.JobAdmin storeAdmin, dev.ergate.spi.JobStore store) {
        return SqsJobAdmin.of(queue, storeAdmin, store);
    }

    /** {@return the client's options (the defaults for a client of your own)} */
    public SqsOptions options() {
        return options;
    }

    /** {@return the client queues of this backend use} */
    public SqsClient client() {
        return client;
    }

    /** Closes the client if this backend built it; queues of it fail after that. Idempotent. */
    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    @Override
    public String toString() {
        return "SqsBackend[" + (named == null ? "" : "queue " + (named.describe()) + ", ") + options + "]";
    }
}
