package dev.ergate.testbackends;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.jspecify.annotations.Nullable;

/**
 * ElasticMQ started in this JVM, the local default for SQS: it needs nothing installed. Only
 * loaded when ElasticMQ is on the class path (an optional dependency of this module).
 */
final class InProcessElasticMq {

    private InProcessElasticMq() {
    }

    /** {@return the endpoint of a server started now on a free port, or null without ElasticMQ} */
    static @Nullable String start() {
        try {
            Class.forName("org.elasticmq.rest.sqs.SQSRestServerBuilder", false, InProcessElasticMq.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        int port = server.waitUntilStarted().localAddress().getPort();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stopAndWait, "elasticmq-stop"));
        return "http://127.0.0.1:" + port;
    }
}
