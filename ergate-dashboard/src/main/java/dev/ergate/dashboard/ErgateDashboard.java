package dev.ergate.dashboard;

import com.sun.net.httpserver.HttpServer;
import dev.ergate.internal.DaemonThreads;
import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.QueueStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web dashboard, running: overview, jobs, one job, dead letters, served by the JDK's HTTP
 * server on 127.0.0.1 unless the options say otherwise. Start it next to a worker with {@code
 * ErgateDashboard.start(admin, queueStats, options)}; {@link #close()} stops it. Thread-safe.
 */
public final class ErgateDashboard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ErgateDashboard.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI uri;

    private ErgateDashboard(HttpServer server, ExecutorService executor, URI uri) {
        this.server = server;
        this.executor = executor;
        this.uri = uri;
    }

    /**
     * Starts serving the dashboard.
     *
     * @param admin the backend's admin capability (its store's jobs, its queue's dead letters)
     * @param queueStats the queue's counts for the overview, or {@code null} when it has none
     * @param options where to listen, authentication, read-only mode
     * @return the running dashboard; {@link #uri()} says where
     * @throws java.io.UncheckedIOException if the address can't be bound
     */
    public static ErgateDashboard start(JobAdmin admin, @Nullable QueueStats queueStats, DashboardOptions options) {
        return start(new AdminOperations(Objects.requireNonNull(admin, "admin"), queueStats),
                Objects.requireNonNull(options, "options"));
    }

    static ErgateDashboard start(Operations operations, DashboardOptions options) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("the dashboard can't listen on " + options.host() + ":" + options.port()
                    + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(4, daemonThreads());
        Security security = new Security(options);
        server.createContext("/", new Router(new Api(operations, options), new Assets(options), security, options));
        server.setExecutor(executor);
        server.start();
        int port = server.getAddress().getPort();
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        URI uri = URI.create("http://" + (host.equals("0.0.0.0") ? "127.0.0.1" : host) + ":" + port + "/");
        LOG.info("Ergate dashboard at {} ({}{})", uri, options.readOnly() ? "read-only" : "actions allowed",
                options.authenticated() ? ", authentication required" : "");
        return new ErgateDashboard(server, executor, uri);
    }

    /** {@return the address to open in a browser} */
    public URI uri() {
        return uri;
    }

    /** {@return the port the dashboard listens on (the one picked when the options said 0)} */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops serving: requests in progress get up to a second to finish. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }

    private static ThreadFactory daemonThreads() {
        return DaemonThreads.factory("ergate-dashboard");
    }
}
