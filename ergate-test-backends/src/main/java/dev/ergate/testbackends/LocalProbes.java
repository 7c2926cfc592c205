package dev.ergate.testbackends;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/** Whether the local defaults answer: quick, and false rather than an exception when they don't. */
final class LocalProbes {

    static final String REDIS_URL = "redis://127.0.0.1:6379";
    static final String REDIS_CLUSTER_URL = "redis-cluster://127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002";
    static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private LocalProbes() {
    }

    /** {@return {@link #REDIS_URL} when a Redis there answers PING, else null} */
    static @Nullable String redis() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 6379), 1_000);
            socket.setSoTimeout(2_000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n") ? REDIS_URL : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** {@return {@link #REDIS_CLUSTER_URL} when the node on 127.0.0.1:7000 says its cluster is ok, else null} */
    static @Nullable String redisCluster() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 7000), 1_000);
            socket.setSoTimeout(2_000);
            OutputStream out = socket.getOutputStream();
            out.write("CLUSTER INFO\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] reply = new byte[4096];
            int read = socket.getInputStream().read(reply);
            return read > 0 && new String(reply, 0, read, StandardCharsets.US_ASCII).contains("cluster_state:ok")
                    ? REDIS_CLUSTER_URL : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** {@return {@link #POSTGRES_URL} when the server there accepts it, else null} */
    static @Nullable String postgres() {
        try (Connection connection = DriverManager.getConnection(POSTGRES_URL + "&connectTimeout=2")) {
            return connection.isValid(2) ? POSTGRES_URL : null;
        } catch (SQLException e) {
            return null;
        }
    }
}
