package dev.ergate.fault;

import java.util.concurrent.CountDownLatch;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * An ElasticMQ SQS server in a JVM of its own, so that it outlives the worker JVMs the fault
 * suite kills. Started by {@link ElasticMqProcess} with the test class path.
 *
 * <p>Argument: the port to listen on (127.0.0.1). Runs until the process is killed.
 */
final class ElasticMqMain {

    private ElasticMqMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port).start();
        server.waitUntilStarted();
        System.out.println("ElasticMQ listening on 127.0.0.1:" + port);
        new CountDownLatch(1).await(); // serve until killed
    }
}
