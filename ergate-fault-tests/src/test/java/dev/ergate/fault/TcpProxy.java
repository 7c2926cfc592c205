package dev.ergate.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy on 127.0.0.1 in front of a server, that can take the server "off the network":
 * {@link #down()} cuts every open connection (calls in flight fail) and stops listening (new
 * connections are refused), {@link #up()} listens again on the same port. What a client sees is
 * an endpoint that went away and came back; the server behind keeps its state. Thread-safe.
 */
final class TcpProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tcp-proxy");
        t.setDaemon(true);
        return t;
    });
    private @Nullable ServerSocket listening;

    private TcpProxy(InetSocketAddress target, int port) {
        this.target = target;
        this.port = port;
    }

    /** @return a proxy listening on a free port of 127.0.0.1, forwarding to {@code host:targetPort} */
    static TcpProxy start(String host, int targetPort) throws IOException {
        TcpProxy proxy = new TcpProxy(new InetSocketAddress(host, targetPort), Commands.freePort());
        proxy.up();
        return proxy;
    }

    /** @return the port clients connect to */
    int port() {
        return port;
    }

    /** Listens again (after {@link #down()}); idempotent. */
    synchronized void up() throws IOException {
        if (listening != null) {
            return;
        }
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true); // the port's old connections may still be in TIME_WAIT
        server.bind(new InetSocketAddress("127.0.0.1", port));
        listening = server;
        threads.execute(() -> accept(server));
    }

    /** Refuses new connections and cuts the open ones, until {@link #up()}; idempotent. */
    synchronized void down() {
        if (listening != null) {
            closeQuietly(listening);
            listening = null;
        }
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    private void accept(ServerSocket server) {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed by down() or close()
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(target, 2_000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            open.add(client);
            open.add(upstream);
            threads.execute(() -> pump(client, upstream));
            threads.execute(() -> pump(upstream, client));
        }
    }

    /** Copies bytes one way until either side closes, then closes both. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // cut by down(), or the other side went away
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        down();
        threads.shutdownNow();
    }
}
