package dev.ergate.bench;

import java.net.URI;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.jspecify.annotations.Nullable;

/**
 * ElasticMQ, an SQS server, started in this JVM on a free local port the first time it is
 * needed and stopped when the JVM exits. Thread-safe.
 */
final class ElasticMq {

    private static @Nullable URI endpoint;

    private ElasticMq() {
    }

    /** {@return the endpoint of the in-process server, starting it on first use (2-4 s)} */
    static synchronized URI endpoint() {
        URI started = endpoint;
        if (started == null) {
            SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
            int port = server.waitUntilStarted().localAddress().getPort();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stopAndWait, "elasticmq-stop"));
            started = URI.create("http://127.0.0.1:" + port);
            endpoint = started;
        }
        return started;
    }
}
