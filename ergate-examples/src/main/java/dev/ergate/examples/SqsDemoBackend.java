package dev.ergate.examples;

import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.StateStore;
import dev.ergate.sqs.SqsJobAdmin;
import dev.ergate.sqs.SqsJobQueue;
import dev.ergate.testkit.InMemoryJobAdmin;
import dev.ergate.testkit.InMemoryJobStore;
import java.util.Map;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.jspecify.annotations.Nullable;

/**
 * SQS ({@code --backend sqs}): the queue on an SQS endpoint ({@code --url} or {@code
 * ERGATE_SQS_ENDPOINT}: a queue URL, or {@code sqs://NAME?region=...} for AWS with the default
 * credential chain); with neither, an SQS-compatible server (ElasticMQ) is started in this process
 * on a free local port. SQS keeps no job state, so the states go to an in-memory store.
 * Thread-safe.
 */
final class SqsDemoBackend implements DemoBackend {

    static final String ENDPOINT_ENV = "ERGATE_SQS_ENDPOINT";

    private final SqsJobQueue queue;
    private final InMemoryJobStore store = InMemoryJobStore.create();
    private final @Nullable SQSRestServer localServer;

    private SqsDemoBackend(SqsJobQueue queue, @Nullable SQSRestServer localServer) {
        this.queue = queue;
        this.localServer = localServer;
    }

    static DemoBackend open(DemoOptions options, Map<String, String> environment) {
        String configured = DemoBackends.configuredUrl(options, environment, ENDPOINT_ENV);
        if (configured != null) {
            return new SqsDemoBackend(SqsJobQueue.fromUri(configured).build(), null);
        }
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        try {
            int port = server.waitUntilStarted().localAddress().getPort();
            String queue = "sqs://demo-" + DemoBackends.runId() + "?endpoint=http://127.0.0.1:" + port
                    + "&credentials=anonymous&create=true";
            return new SqsDemoBackend(SqsJobQueue.fromUri(queue).build(), server);
        } catch (RuntimeException e) {
            server.stopAndWait();
            throw e;
        }
    }

    @Override
    public JobQueue queue() {
        return queue;
    }

    @Override
    public StateStore store() {
        return store;
    }

    @Override
    public JobAdmin admin() {
        // the jobs are in the in-memory store (retried onto this queue); the dead letters in SQS's
        return SqsJobAdmin.of(queue, InMemoryJobAdmin.forStore(store, queue), store);
    }

    @Override
    public String describe() {
        return (localServer == null ? "SQS queue " : "an in-process SQS server (ElasticMQ), queue ") + queue.queueUrl();
    }

    @Override
    public void close() {
        queue.close();
        if (localServer != null) {
            localServer.stopAndWait();
        }
    }
}
