package dev.ergate.fault;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The SQS server of the SQS fault runs: {@link ElasticMqMain} in a JVM of its own on a free port,
 * alive until {@link #close()}. Not thread-safe.
 */
final class ElasticMqProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticMqProcess.class);

    private final Process process;
    private final URI endpoint;

    private ElasticMqProcess(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Starts the server and waits until it answers. @param log where its output goes */
    static ElasticMqProcess start(Path log) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        int port = Commands.freePort();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // full JIT: the server is the hot spot of every SQS run, unlike the short-lived workers
                "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                ElasticMqMain.class.getName(), Integer.toString(port));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ElasticMqProcess server = new ElasticMqProcess(process, URI.create("http://127.0.0.1:" + port));
        try (SqsClient client = SqsFaultBackend.client(server.endpoint())) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("ElasticMQ exited; see " + log);
                        }
                        client.listQueues();
                        return true;
                    });
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        LOG.info("ElasticMQ started at {} (pid {})", server.endpoint(), process.pid());
        return server;
    }

    /** @return the server's endpoint, http://127.0.0.1:port */
    URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
